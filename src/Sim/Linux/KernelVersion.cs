using System.Globalization;

namespace ClusterNetPerf.Sim.Linux;

/// <summary>
/// The Linux kernel release a node runs (major.minor), where the model's behaviour follows
/// the kernel's and the kernel changed: the conntrack garbage collector's schedule and budget
/// (<see cref="ConntrackTable"/>), and whether UDP insertion clashes drop a packet (DNS).
/// </summary>
public readonly record struct KernelVersion(int Major, int Minor) : IComparable<KernelVersion>
{
    /// <summary>
    /// 6.8, the kernel of Ubuntu 24.04 LTS: a current long-term-supported node kernel.
    /// </summary>
    public static readonly KernelVersion Default = new(6, 8);

    /// <summary>
    /// The oldest kernel modelled: 5.15, the first with the bucket and table-size defaults of
    /// commit d532bcd0b269 ("netfilter: conntrack: sanitize table size default settings") and
    /// after the whole-table GC cycle of commit 4608fdfc07e1 (5.14).
    /// </summary>
    public static readonly KernelVersion OldestModelled = new(5, 15);

    /// <summary>
    /// Where the GC interval became adaptive (average timeout of the entries seen, 1–60 s) with
    /// a per-run budget of expired entries (GC_SCAN_EXPIRED_MAX), replacing the fixed 120 s cycle:
    /// "netfilter: conntrack: dynamically adjust gc interval", first released in 5.19.
    /// </summary>
    public static readonly KernelVersion AdaptiveGc = new(5, 19);

    /// <summary>
    /// Where conntrack stopped dropping the losing packet of a UDP insertion race when the two
    /// packets were DNATed to different endpoints (the A and AAAA queries of one socket to
    /// kube-dns): commit 6a757c07e51f ("netfilter: conntrack: allow insertion of clashing
    /// entries", February 2020) inserts the clashing entry with a 1 s timeout instead; the
    /// same-endpoint case was resolved earlier by ed07d9a021df ("netfilter: nf_conntrack: resolve
    /// clash for matching conntracks", first in v4.19-rc1, per kubernetes#56903). 5.6 is the
    /// release of the 6a757c07e51f merge window as far as could be established here (the tag
    /// itself could not be checked).
    /// </summary>
    public static readonly KernelVersion UdpClashResolution = new(5, 6);

    /// <summary>Parses "major.minor" (a patch level, "6.8.0", is accepted and ignored).</summary>
    public static bool TryParse(string text, out KernelVersion version)
    {
        version = default;
        string[] parts = text.Trim().Split('.');
        if (parts.Length is < 2 or > 3) return false;
        foreach (string part in parts)
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out _)) return false;
        version = new KernelVersion(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>Whether the conntrack GC interval adapts to the entries' timeouts (5.19 and later).</summary>
    public bool HasAdaptiveConntrackGc => CompareTo(AdaptiveGc) >= 0;

    /// <summary>Whether a UDP insertion clash keeps both packets (<see cref="UdpClashResolution"/> and later).</summary>
    public bool ResolvesUdpClashes => CompareTo(UdpClashResolution) >= 0;

    public int CompareTo(KernelVersion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");
}
