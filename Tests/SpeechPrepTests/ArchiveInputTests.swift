import Foundation
import Testing
import TestSupport

/// A Common Voice release of real speech (the bundled sample's clips under new ids) built by
/// Scripts/make-cv-archive.sh into a scratch folder: extracted, `.tar.gz` and `.tar.zst`.
struct ArchiveRelease {
    let folder: TemporaryDirectory
    var extracted: String { folder.file("cv-corpus-test/en") }
    var gz: String { folder.file("cv-corpus-test-en.tar.gz") }
    var zst: String { folder.file("cv-corpus-test-en.tar.zst") }

    init(clips: Int = 200, tsvPosition: String = "last") throws {
        folder = try TemporaryDirectory(prefix: "cv-archive")
        var script = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { script.deleteLastPathComponent() }  // ArchiveInputTests.swift, SpeechPrepTests, Tests
        let result = try ExternalTool.run(
            [script.appendingPathComponent("Scripts/make-cv-archive.sh").path, folder.path, "\(clips)", tsvPosition])
        precondition(result.status == 0, String(decoding: result.stderr, as: UTF8.self))
    }

    /// Runs python3 with a script and arguments; returns stdout.
    @discardableResult
    static func python(_ script: String, _ arguments: [String]) throws -> String {
        let result = try ExternalTool.run(["python3", "-c", script] + arguments)
        precondition(result.status == 0, String(decoding: result.stderr, as: UTF8.self))
        return result.text
    }
}

@Suite("Common Voice from archives, end to end")
struct ArchiveInputTests {
    static let fast = ["--rate", "48000", "--quiet"]

    static func expectSameOutputs(_ a: String, _ b: String, names: [String] = ["manifest.jsonl", "failures.jsonl"]) throws {
        for name in names {
            #expect(CLI.read("\(a)/\(name)") == CLI.read("\(b)/\(name)"), "\(name) differs")
        }
        let wavs = try FileManager.default.contentsOfDirectory(atPath: "\(a)/wavs").sorted()
        #expect(wavs == (try FileManager.default.contentsOfDirectory(atPath: "\(b)/wavs").sorted()))
        for wav in wavs { #expect(CLI.read("\(a)/wavs/\(wav)") == CLI.read("\(b)/wavs/\(wav)"), "\(wav) differs") }
    }

    @Test("prepare over .tar.gz (TSVs after the clips) and .tar.zst (TSVs first) equals prepare over the extracted folder, whatever the workers")
    func sameAsExtracted() throws {
        let last = try ArchiveRelease(clips: 200, tsvPosition: "last")
        let first = try ArchiveRelease(clips: 200, tsvPosition: "first")
        let out = try TemporaryDirectory()
        let reference = out.file("folder")
        #expect(try CLI.run(["prepare", last.extracted, "--split", "test", "--out", reference] + Self.fast).status == 0)
        #expect(CLI.lines("\(reference)/manifest.jsonl").count == 40)
        for (label, archive, workers) in [("gz1", last.gz, "1"), ("gz2", last.gz, "2"), ("zst2", first.zst, "2")] {
            let run = try CLI.run(["prepare", archive, "--split", "test", "--out", out.file(label), "--workers", workers] + Self.fast)
            #expect(run.status == 0, "\(run.stderr)")
            try Self.expectSameOutputs(out.file(label), reference)
        }
        // --limit and --shard choose the same items as on the folder.
        for extra in [["--limit", "5"], ["--shard", "1/2"]] {
            let folderRun = out.file("f" + extra.joined()), archiveRun = out.file("a" + extra.joined())
            #expect(try CLI.run(["prepare", last.extracted, "--split", "test", "--out", folderRun] + extra + Self.fast).status == 0)
            #expect(try CLI.run(["prepare", last.gz, "--split", "test", "--out", archiveRun] + extra + Self.fast).status == 0)
            let outputs = try FileManager.default.contentsOfDirectory(atPath: folderRun)
                // The data outputs only: lock files name the holder's command line, done markers the
                // run's settings (both name the input), progress files hold times and rates.
                .filter {
                    !$0.hasPrefix(".") && !$0.hasPrefix("journal") && !$0.hasPrefix("progress") && $0 != "wavs"
                        && !$0.hasSuffix(".lock") && !$0.hasSuffix(".done")
                }.sorted()
            #expect(!outputs.isEmpty)
            try Self.expectSameOutputs(archiveRun, folderRun, names: outputs)
            #expect(outputs.contains { CLI.read("\(archiveRun)/\($0)").count > 100 })
        }
    }

    @Test("transcribe over a .tar.zst gives the results of transcribe over the extracted folder")
    func transcribeArchive() throws {
        let release = try ArchiveRelease(clips: 10)
        let out = try TemporaryDirectory()
        for (label, input) in [("folder", release.extracted), ("archive", release.zst)] {
            let run = try CLI.run(["transcribe", input, "--split", "test", "--out", out.file(label), "--quiet"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        #expect(CLI.read(out.file("archive/results.json")) == CLI.read(out.file("folder/results.json")))
        #expect(CLI.read(out.file("archive/results.json")).count > 20)
    }

    @Test("a run resumed after most of its items were journaled reads the archive again and ends byte-identical")
    func resume() throws {
        let release = try ArchiveRelease(clips: 40)
        let out = try TemporaryDirectory()
        let arguments = ["prepare", release.gz, "--split", "validated"] + Self.fast
        #expect(try CLI.run(arguments + ["--out", out.file("clean")]).status == 0)
        #expect(try CLI.run(arguments + ["--out", out.file("resumed")]).status == 0)
        // Keep the header and 30 of the 40 records, and remove the outputs: a run 75 % done.
        let journal = CLI.lines(out.file("resumed/journal.jsonl"))
        try (journal.prefix(31).joined(separator: "\n") + "\n").write(toFile: out.file("resumed/journal.jsonl"), atomically: true, encoding: .utf8)
        for name in ["manifest.jsonl", "failures.jsonl"] { try FileManager.default.removeItem(atPath: out.file("resumed/\(name)")) }
        let rerun = try CLI.run(arguments + ["--out", out.file("resumed"), "--json"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.contains("\"resumed\" : 30") || rerun.stdout.contains("\"resumed\": 30"), "\(rerun.stdout)")
        try Self.expectSameOutputs(out.file("resumed"), out.file("clean"))
    }

    @Test("a truncated archive keeps the clips before the cut and fails the rest with 'archive ends early'")
    func truncated() throws {
        let release = try ArchiveRelease(clips: 30, tsvPosition: "first")
        let out = try TemporaryDirectory()
        // Uncompress, cut at 60 %, and compress again: the gzip stream is whole, the tar is cut.
        let cut = release.folder.file("cut.tar")
        try ArchiveRelease.python("""
            import gzip, sys
            data = gzip.decompress(open(sys.argv[1], 'rb').read())
            open(sys.argv[2], 'wb').write(data[: len(data) * 6 // 10])
            """, [release.gz, cut])
        let run = try CLI.run(["prepare", cut, "--split", "validated", "--out", out.path] + Self.fast)
        #expect(run.status == 0, "\(run.stderr)")
        let done = CLI.lines(out.file("manifest.jsonl")).count
        let failures = CLI.lines(out.file("failures.jsonl"))
        #expect(done > 5 && done < 25)
        #expect(done + failures.count == 30)
        #expect(failures.allSatisfy { $0.contains("the archive ends early") && $0.contains("cut.tar") })
        // The clips kept are the first ones of the archive (ids in archive order).
        #expect(CLI.lines(out.file("manifest.jsonl")).first?.contains("common_voice_en_50000000") == true)
    }

    @Test("clips the TSV names but the archive lacks, links, unsafe names and a duplicate become failed items or are skipped")
    func badMembers() throws {
        let folder = try TemporaryDirectory()
        let clip = try Data(contentsOf: URL(fileURLWithPath: "\(CLI.sample)/clips/common_voice_en_40000001.mp3"))
        try clip.write(to: URL(fileURLWithPath: folder.file("clip.mp3")))
        let tsv = "path\tsentence\n" + ["ok", "missing", "link", "dup", "../evil", "big"].map { "\($0).mp3\t\($0) sentence.\n" }.joined()
        try tsv.write(toFile: folder.file("test.tsv"), atomically: true, encoding: .utf8)
        let archive = folder.file("release.tar.xz")
        try ArchiveRelease.python("""
            import io, sys, tarfile
            folder, out = sys.argv[1], sys.argv[2]
            clip = open(folder + '/clip.mp3', 'rb').read()
            with tarfile.open(out, 'w:xz') as tar:
                tar.add(folder + '/test.tsv', 'cv/xx/test.tsv')
                def add(name, data):
                    info = tarfile.TarInfo(name); info.size = len(data); tar.addfile(info, io.BytesIO(data))
                add('cv/xx/clips/ok.mp3', clip)
                add('cv/xx/clips/dup.mp3', clip)
                add('cv/xx/clips/dup.mp3', b'second copy, never read')
                add('cv/xx/clips/../evil.mp3', clip)
                add('/cv/xx/clips/abs.mp3', clip)
                link = tarfile.TarInfo('cv/xx/clips/link.mp3'); link.type = tarfile.SYMTYPE; link.linkname = '/etc/passwd'
                tar.addfile(link)
                add('cv/xx/clips/big.mp3', b'x' * 300)
            """, [folder.path, archive])
        let out = folder.file("out")
        let run = try CLI.run(["prepare", archive, "--split", "test", "--out", out] + Self.fast, environment: [:])
        #expect(run.status == 0, "\(run.stderr)")
        let manifest = CLI.lines("\(out)/manifest.jsonl")
        #expect(manifest.count == 2)  // ok and the first dup
        #expect(manifest.allSatisfy { $0.contains("\"duration\"") })
        let failures = CLI.lines("\(out)/failures.jsonl").joined(separator: "\n")
        #expect(failures.contains("\"missing\"") && failures.contains("not in the archive"))
        #expect(failures.contains("symbolicLink") && failures.contains("never followed"))
        #expect(failures.contains("../evil.mp3") && failures.contains("climbs"))
        #expect(failures.contains("\"big\""))  // not audio: a decoding failure naming the member
        #expect(failures.contains("release.tar.xz/cv/xx/clips/big.mp3"))
    }

    @Test("a member declaring 5 GiB fails without being read; a damaged xz stream fails the clips after the damage")
    func hugeMemberAndDamagedStream() throws {
        let folder = try TemporaryDirectory()
        let clipPath = "\(CLI.sample)/clips/common_voice_en_40000001.mp3"
        try ("path\tsentence\n" + ["a", "huge", "b"].map { "\($0).mp3\t\($0).\n" }.joined())
            .write(toFile: folder.file("test.tsv"), atomically: true, encoding: .utf8)
        // The huge member's header says 5 GiB; nothing follows it, so the archive also ends early.
        try ArchiveRelease.python("""
            import io, sys, tarfile
            folder, clip = sys.argv[1], open(sys.argv[2], 'rb').read()
            raw = io.BytesIO()
            tar = tarfile.open(fileobj=raw, mode='w', format=tarfile.GNU_FORMAT)
            tar.add(folder + '/test.tsv', 'cv/xx/test.tsv')
            info = tarfile.TarInfo('cv/xx/clips/a.mp3'); info.size = len(clip); tar.addfile(info, io.BytesIO(clip))
            huge = tarfile.TarInfo('cv/xx/clips/huge.mp3'); huge.size = 5 << 30
            tar.fileobj.write(huge.tobuf(tar.format, tar.encoding, tar.errors))
            open(folder + '/huge.tar', 'wb').write(raw.getvalue())
            """, [folder.path, clipPath])
        let run = try CLI.run(["prepare", folder.file("huge.tar"), "--split", "test", "--out", folder.file("o1")] + Self.fast)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(CLI.lines(folder.file("o1/manifest.jsonl")).count == 1)
        let failures = CLI.lines(folder.file("o1/failures.jsonl"))
        #expect(failures.count == 2)
        #expect(failures.first { $0.contains("\"huge\"") }?.contains("5368709120 bytes, over the") == true)
        #expect(failures.first { $0.contains("\"b\"") }?.contains("the archive ends early") == true)

        // Twelve clips in an .xz whose compressed bytes are overwritten at two thirds.
        let release = try ArchiveRelease(clips: 12, tsvPosition: "first")
        let damaged = folder.file("damaged.tar.xz")
        try ArchiveRelease.python("""
            import gzip, lzma, sys
            data = bytearray(lzma.compress(gzip.decompress(open(sys.argv[1], 'rb').read())))
            cut = len(data) * 2 // 3
            data[cut:cut + 4096] = b'\\xff' * 4096
            open(sys.argv[2], 'wb').write(bytes(data))
            """, [release.gz, damaged])
        let second = try CLI.run(["prepare", damaged, "--split", "validated", "--out", folder.file("o2")] + Self.fast)
        #expect(second.status == 0, "\(second.stderr)")
        let kept = CLI.lines(folder.file("o2/manifest.jsonl")).count
        let lost = CLI.lines(folder.file("o2/failures.jsonl"))
        #expect(kept >= 1 && kept < 12)
        #expect(kept + lost.count == 12)
        #expect(lost.allSatisfy { $0.contains("damaged.tar.xz") && ($0.contains("breaks off") || $0.contains("ends early")) }, "\(lost)")
    }

    @Test("a non-archive, an archive with no Common Voice layout, and a missing split are clear errors")
    func wrongInputs() throws {
        let folder = try TemporaryDirectory()
        let text = folder.file("notes.tar.gz")
        try "just text\n".write(toFile: text, atomically: true, encoding: .utf8)
        let plain = try CLI.run(["prepare", text, "--out", folder.file("o1")] + Self.fast)
        #expect(plain.status != 0)

        let layoutless = folder.file("photos.tar.gz")
        try ArchiveRelease.python("""
            import io, sys, tarfile
            with tarfile.open(sys.argv[1], 'w:gz') as tar:
                info = tarfile.TarInfo('holiday/beach.jpg'); info.size = 3; tar.addfile(info, io.BytesIO(b'jpg'))
            """, [layoutless])
        let none = try CLI.run(["prepare", layoutless, "--out", folder.file("o2")] + Self.fast)
        #expect(none.status == 1)
        #expect(none.stderr.contains("photos.tar.gz") && none.stderr.contains("no Common Voice layout"), "\(none.stderr)")

        let release = try ArchiveRelease(clips: 10)
        let missing = try CLI.run(["prepare", release.gz, "--split", "nosuch", "--out", folder.file("o3")] + Self.fast)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nosuch") && missing.stderr.contains("validated"), "\(missing.stderr)")
        let splits = try CLI.run(["import", "commonvoice", release.zst, "--list-splits"])
        #expect(splits.stdout.split(separator: "\n") == ["dev", "test", "validated"])
    }

    @Test("import commonvoice writes a NeMo manifest from an archive that Python's json reads")
    func importArchive() throws {
        let release = try ArchiveRelease(clips: 20)
        let out = release.folder.file("dev.jsonl")
        let run = try CLI.run(["import", "commonvoice", release.gz, "--split", "dev", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        let checked = try ArchiveRelease.python("""
            import json, sys
            rows = [json.loads(line) for line in open(sys.argv[1])]
            print(len(rows), rows[0]['audio_filepath'], rows[0]['text'])
            """, [out])
        #expect(checked.hasPrefix("4 \(release.gz)/cv-corpus-test/en/clips/common_voice_en_50000001.mp3 "), "\(checked)")
        let folderRun = try CLI.run(["import", "commonvoice", release.extracted, "--split", "dev", "--out", out + ".folder"])
        #expect(folderRun.status == 0)
        // Same entries; only the audio paths differ (archive member vs extracted file).
        let strip = { (path: String) in CLI.lines(path).map { $0.replacingOccurrences(of: "\"audio_filepath\": \"[^\"]*\"", with: "", options: .regularExpression) } }
        #expect(strip(out) == strip(out + ".folder"))
    }

    @Test("a Hugging Face hub copy (tar shards + transcript TSVs) prepares like the extracted release")
    func hubShards() throws {
        let release = try ArchiveRelease(clips: 30)
        let hub = release.folder.file("hub")
        try ArchiveRelease.python("""
            import json, os, sys, tarfile
            release, hub = sys.argv[1], sys.argv[2]
            os.makedirs(hub + '/transcript/en'); os.makedirs(hub + '/audio/en/test')
            os.link(release + '/test.tsv', hub + '/transcript/en/test.tsv')
            clips = sorted(os.listdir(release + '/clips'))
            wanted = [l.split('\\t')[1] for l in open(release + '/test.tsv').read().splitlines()[1:]]
            shards = [wanted[0::2], wanted[1::2]]
            for n, names in enumerate(shards):
                with tarfile.open('%s/audio/en/test/en_test_%d.tar' % (hub, n), 'w') as tar:
                    for name in names:
                        tar.add(release + '/clips/' + name, 'en_test_%d/%s' % (n, name))
            json.dump({'en': {'test': 2}}, open(hub + '/n_shards.json', 'w'))
            """, [release.extracted, hub])
        let out = try TemporaryDirectory()
        #expect(try CLI.run(["prepare", release.extracted, "--split", "test", "--out", out.file("folder")] + Self.fast).status == 0)
        let run = try CLI.run(["prepare", hub, "--split", "test", "--out", out.file("hub")] + Self.fast)
        #expect(run.status == 0, "\(run.stderr)")
        try Self.expectSameOutputs(out.file("hub"), out.file("folder"))
        #expect(CLI.lines(out.file("hub/manifest.jsonl")).count == 6)
    }
}
