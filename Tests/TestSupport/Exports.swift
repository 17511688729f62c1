// The project's own test helpers build on the public SpeechPrepTesting product (temporary
// folders, seeded signals, fixture writers, test transcribers, the sample release), so every
// test target that imports TestSupport gets it too.
@_exported public import SpeechPrepTesting
