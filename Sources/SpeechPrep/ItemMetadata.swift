extension ManifestEntry {
    /// The metadata an item carries into a run's `metadata.jsonl`: its `speaker` (Common
    /// Voice's `client_id`) and `language` (`locale`) under those names, and every
    /// `extra` field (Common Voice's `gender`, `age`, `accents`, `variant`, `up_votes`,
    /// `down_votes`, …; NeMo and audiofolder keys) under its own name. A named field wins over
    /// an extra field of the same name. It depends only on the input, so resumed, parallel and
    /// sharded runs write the same bytes.
    public var outputMetadata: [String: String] {
        var fields = extra
        fields["id"] = nil
        if let speaker { fields["speaker"] = speaker }
        if let language { fields["language"] = language }
        return fields
    }
}
