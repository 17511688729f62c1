import Foundation
import TestSupport

/// One entry for a test archive, built by Python's `tarfile` (the reference tar writer).
struct TestMember: Codable {
    var name: String
    /// Data for a file; ignored for other kinds.
    var data: String = ""
    /// file, dir, symlink, hardlink, chr, fifo, or huge (a header declaring `size` bytes with no data after it).
    var type: String = "file"
    var target: String = ""
    var size: Int = 0
}

enum ArchiveBuilder {
    /// Python's tarfile writes the archive: `compression` is "", "gz", "xz", "bz2" or "zst"
    /// (zstd by piping the plain tar through the `zstd` tool).
    static func make(_ path: String, compression: String = "", members: [TestMember]) throws {
        let script = #"""
import bz2, gzip, io, json, lzma, subprocess, sys, tarfile
path, compression = sys.argv[1], sys.argv[2]
members = json.load(sys.stdin)
raw = io.BytesIO()
with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tar:
    for m in members:
        info = tarfile.TarInfo(m["name"])
        kind = m["type"]
        data = m["data"].encode()
        if kind == "file":
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        elif kind == "huge":
            info.size = m["size"]
            tar.fileobj.write(info.tobuf(tar.format, tar.encoding, tar.errors))
        else:
            info.type = {"dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE,
                         "chr": tarfile.CHRTYPE, "fifo": tarfile.FIFOTYPE}[kind]
            info.linkname = m["target"]
            tar.addfile(info)
    if any(m["type"] == "huge" for m in members):
        tar.closed = True  # no end-of-archive blocks: the declared data never comes
data = raw.getvalue()
if compression == "gz":
    data = gzip.compress(data)
elif compression == "xz":
    data = lzma.compress(data)
elif compression == "bz2":
    data = bz2.compress(data)
elif compression == "zst":
    data = subprocess.run(["zstd", "-q", "-c"], input=data, stdout=subprocess.PIPE, check=True).stdout
open(path, "wb").write(data)
"""#
        let input = try JSONEncoder().encode(members)
        let result = try ExternalTool.run(["python3", "-c", script, path, compression], input: input)
        guard result.status == 0 else {
            throw NSError(domain: "ArchiveBuilder", code: Int(result.status), userInfo: [
                NSLocalizedDescriptionKey: String(decoding: result.stderr, as: UTF8.self),
            ])
        }
    }

    /// Cuts a file to its first `length` bytes.
    static func truncate(_ path: String, to length: Int) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(length))
        try handle.close()
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
