using CsvHelper;

namespace ClusterNetPerf.Scenarios.Output;

/// <summary>A CSV file as a header and rows of text, read and written with CsvHelper in invariant culture with <c>\n</c> line ends.</summary>
/// <param name="Header">Column names.</param>
/// <param name="Rows">Rows, each as long as the header.</param>
public sealed record CsvTable(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    private static readonly CsvWriterOptions WriterOptions = new() { NewLine = "\n" };

    /// <summary>The index of column <paramref name="name"/>, or −1.</summary>
    public int IndexOf(string name) => Header.ToList().IndexOf(name);

    /// <summary>Writes the table atomically (temporary name, then rename).</summary>
    public void Write(string path) => AtomicFile.Write(path, temporary =>
    {
        using var writer = new StreamWriter(temporary);
        using CsvWriter csv = CsvWriter.Create(writer, WriterOptions);
        foreach (IReadOnlyList<string> row in Rows.Prepend(Header)) csv.WriteRecord([.. row]);
        csv.Flush();
    });

    /// <summary>Reads a CSV file with a header row.</summary>
    /// <exception cref="InvalidDataException">The file is not CSV text, or a row's length differs from the header's.</exception>
    public static CsvTable Read(string path)
    {
        try
        {
            return ReadRows(path);
        }
        catch (Exception exception) when (exception is CsvFormatException or CsvValidationException)
        {
            throw new InvalidDataException($"{path}: expected CSV text, found text CsvHelper cannot read ({exception.GetType().Name})", exception);
        }
    }

    private static CsvTable ReadRows(string path)
    {
        using var reader = new StreamReader(path);
        using CsvReader csv = CsvReader.Create(reader, CsvReaderOptions.Default);
        string[] header = [.. csv.Headers];
        if (header.Length == 0) throw new InvalidDataException($"{path}: expected a header row, found an empty file");
        var rows = new List<IReadOnlyList<string>>();
        while (csv.Read())
        {
            if (csv.FieldCount != header.Length)
                throw new InvalidDataException($"{path}:{rows.Count + 2}: expected {header.Length} fields, found {csv.FieldCount}");
            rows.Add([.. Enumerable.Range(0, csv.FieldCount).Select(csv.GetString)]);
        }
        return new CsvTable(header, rows);
    }
}
