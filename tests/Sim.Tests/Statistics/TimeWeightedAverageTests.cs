using ClusterNetPerf.Sim.Kernel;
using ClusterNetPerf.Sim.Statistics;

namespace ClusterNetPerf.Sim.Tests.Statistics;

public sealed class TimeWeightedAverageTests
{
    private static SimTime Ms(long milliseconds) => SimTime.FromMilliseconds(milliseconds);

    [Fact]
    public void Weights_each_value_by_how_long_it_was_held()
    {
        // 0 for 10 ms, 4 for 20 ms, 1 for 10 ms: area 0 + 80 + 10 = 90 value·ms over 40 ms.
        var average = new TimeWeightedAverage(SimTime.Zero);
        average.Update(Ms(10), 4);
        average.Update(Ms(30), 1);
        Assert.Equal(90.0 / 40, average.Mean(Ms(40)), 12);
        Assert.Equal(4, average.Peak);
        Assert.Equal(1, average.Value);
    }

    [Fact]
    public void Counts_the_current_value_as_held_until_the_time_asked()
    {
        var average = new TimeWeightedAverage(Ms(100), initialValue: 2);
        average.Update(Ms(110), 6);
        // 2 for 10 ms and 6 for 30 ms: (20 + 180) / 40.
        Assert.Equal(5, average.Mean(Ms(140)), 12);
        // Asking again later extends the last value, without any update.
        Assert.Equal((20 + 6 * 90) / 100.0, average.Mean(Ms(200)), 12);
    }

    [Fact]
    public void Starting_a_window_discards_history_but_keeps_the_current_value()
    {
        var average = new TimeWeightedAverage(SimTime.Zero);
        average.Update(Ms(1), 1_000);
        average.Update(Ms(5), 3);
        average.StartWindow(Ms(10));

        Assert.Equal(Ms(10), average.WindowStart);
        Assert.Equal(3, average.Peak);
        average.Update(Ms(20), 5);
        // 3 for 10 ms then 5 for 10 ms; the 1,000 of warm-up is gone.
        Assert.Equal(4, average.Mean(Ms(30)), 12);
        Assert.Equal(5, average.Peak);
    }

    [Fact]
    public void A_window_of_zero_length_averages_to_the_current_value()
    {
        var average = new TimeWeightedAverage(Ms(7), initialValue: 9);
        Assert.Equal(9, average.Mean(Ms(7)));
        average.Update(Ms(7), 11);
        Assert.Equal(11, average.Mean(Ms(7)));
    }

    [Fact]
    public void Keeps_small_areas_that_a_large_running_sum_would_round_away()
    {
        // 10^8 held for 1 s gives an area of 10^17, whose ulp is 16: a plain running sum would
        // drop each of the million areas of 1 that follow and be off by 10^6.
        var average = new TimeWeightedAverage(SimTime.Zero, initialValue: 100_000_000);
        long oneSecondNs = 1_000_000_000;
        for (long ns = 0; ns < 1_000_000; ns++)
            average.Update(new SimTime(oneSecondNs + ns), 1);
        long endNs = oneSecondNs + 1_000_000;
        double exact = (double)((100_000_000m * oneSecondNs + 1_000_000m) / endNs);
        Assert.Equal(exact, average.Mean(new SimTime(endNs)), 1e-6);
    }

    [Fact]
    public void Rejects_time_going_backwards()
    {
        var average = new TimeWeightedAverage(SimTime.Zero);
        average.Update(Ms(10), 1);
        Assert.Throws<ArgumentOutOfRangeException>("now", () => average.Update(Ms(9), 2));
        Assert.Throws<ArgumentOutOfRangeException>("now", () => average.Mean(Ms(9)));
    }
}
