import ArgumentParser
import Foundation
import WXCards

/// `wxcards reset`: every app's data goes, the apps stay. Refused without `--yes`, since on a
/// merchant's own server it is every member's points.
struct Reset: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Wipe every app's cards, members, codes, ledgers, rules, payments and messages, with tokens, the clock offset "
            + "and merchant ids; keep the apps and components with their credentials and settings.",
        discussion: "Stop the servers on this database first: an SQLite file in use is refused.")

    @OptionGroup var storage: StorageOptions

    @Flag(help: "Confirm: without it, nothing is removed.")
    var yes = false

    func run() async throws {
        let logger = try storage.bootstrapLogging()
        defer { BufferedLogHandler.flush() }
        let url = try storage.databaseURL()
        guard yes else {
            print("wxcards: reset removes every app's data from \(url), keeping the apps; run it again with --yes to do so")
            throw ExitCode.failure
        }
        let (store, lock) = try await storage.openStore(url, logger: logger)
        defer { lock?.release() }
        do {
            try await Migrator.migrate(store)
            let removed = try await ResetStore(store: store).resetAll()
            let summary = removed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            print("wxcards: reset \(url): removed \(summary); the apps and components are kept")
            await store.close()
        } catch {
            await store.close()
            throw error
        }
    }
}
