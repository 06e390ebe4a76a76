/// The release of wxcards. Raised with each release; the commit (from `GitCommit.swift`, written
/// by GitCommitPlugin at build time) tells builds between releases apart.
public let version = "0.12.0"

/// `0.12.0 (commit 1a2b3c4d5e6f)`, or the version alone when built outside a git checkout.
public var versionLine: String {
    gitCommit.map { "\(version) (commit \($0))" } ?? version
}
