import ArgumentParser
import WXCards

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the schema migrations to the database, then exit.")

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let logger = try storage.bootstrapLogging()
        // Last of all, also on errors: the log lines still buffered.
        defer { BufferedLogHandler.flush() }
        let url = try storage.databaseURL()
        let (store, lock) = try await storage.openStore(url, logger: logger)
        defer { lock?.release() }
        do {
            let applied = try await Migrator.migrate(store)
            print(applied.isEmpty
                ? "wxcards: \(url) is already at schema version \(Migrations.latestVersion)"
                : "wxcards: applied migrations \(applied.map(String.init).joined(separator: ", ")) to \(url)")
            await store.close()
        } catch {
            await store.close()
            throw error
        }
    }
}
