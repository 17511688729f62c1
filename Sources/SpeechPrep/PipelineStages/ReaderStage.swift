/// The reader stage: feeds the selected items the journal does not hold yet to the audio
/// threads, in input order. A Common Voice archive is streamed, each wanted clip's bytes read
/// in one pass in archive order (``ArchiveInput``); any other input hands over paths the audio
/// threads open.
struct ReaderStage: Sendable {
    let configuration: PipelineConfiguration
    let journal: CheckpointJournal

    /// Feeds `work` until the input ends or the queue is closed by a stop.
    /// - Throws: ``PipelineError`` when the input cannot be read.
    func feed(_ work: BlockingQueue<SelectedItem>) throws(PipelineError) {
        let selection = InputSelection(configuration: configuration)
        // The selection holds each id once, so an id the journal has was finished by an
        // earlier run, never by this one before the reader reached it.
        if let archive = try ArchiveInput.open(configuration) {
            try archive.stream(selection, isDone: journal.contains, into: work)
        } else {
            try selection.forEach { item throws(PipelineError) in
                if journal.contains(item.entry.id) { return true }
                return work.push(item)
            }
        }
    }
}
