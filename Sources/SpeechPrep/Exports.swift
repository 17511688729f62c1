// The umbrella module: `import SpeechPrep` brings in every SpeechPrep library.
@_exported public import PCM
@_exported public import AudioCodec
@_exported public import Archive
@_exported public import Segmentation
@_exported public import SpeechDataset
@_exported public import Scoring
@_exported public import ProcessProbe
@_exported public import Transcription
@_exported public import Reporting
