/// A ``ManifestReader`` over a headered TSV/CSV file, making each row an entry with `make`.
struct TableReader {
    let table: HeaderedTable
    var collector: IssueCollector
    let make: ([String: String], Int) throws(DatasetError) -> ManifestEntry

    mutating func next() throws(DatasetError) -> ManifestEntry? {
        while let result = try table.next() {
            do throws(DatasetError) {
                let (row, line) = try result.get()
                let entry = try make(row, line)
                if try collector.admit(entry.id, file: table.path, line: line) { return entry }
            } catch {
                try collector.report(error)
            }
        }
        return nil
    }
}

extension Dictionary<String, String> {
    /// The non-empty value of the first of `keys` present.
    func first(of keys: [String]) -> String? {
        for key in keys { if let value = self[key], !value.isEmpty { return value } }
        return nil
    }
}
