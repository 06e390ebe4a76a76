/// What `wxcards serve` does with `--app` and `--component` at start.
public enum AppSeeding {
    /// Creates or updates the given apps and components. With no `--app` and no app at all,
    /// creates one demo app. Returns the demo app, if there is one, so its credentials can be printed.
    public static func seed(apps: [Credential], components: [Credential], store: AppStore, now: Int64) async throws -> AppRecord? {
        // Pushes and tokens tell an account from a platform by its id: one id cannot be both.
        if let both = apps.first(where: { app in components.contains { $0.id == app.id } }) {
            throw ConfigurationError("\(both.id) is given both as --app and as --component: an id is one or the other")
        }
        for app in apps { try await store.upsertApp(app, now: now) }
        for component in components { try await store.upsertComponent(component, now: now) }
        if apps.isEmpty, try await store.appCount() == 0 {
            try await store.upsertApp(.makeDemo(), isDemo: true, now: now)
        }
        return try await store.demoApp()
    }
}
