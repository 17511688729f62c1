import Foundation

/// Folder listing and file tests through Foundation, with errors as `DatasetError`.
enum FileSystem {
    static func contentsOfDirectory(_ path: String) throws(DatasetError) -> [String] {
        do { return try FileManager.default.contentsOfDirectory(atPath: path).sorted(by: byteOrder) } catch {
            throw DatasetError(.io, subject: path, "cannot list the folder: \(error.localizedDescription)")
        }
    }

    static func createDirectory(_ path: String) throws(DatasetError) {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw DatasetError(.io, subject: path, "cannot create the folder: \(error.localizedDescription)")
        }
    }

    static func isDirectory(_ path: String) -> Bool { Syscall.isDirectory(path) }

    static func fileExists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
}
