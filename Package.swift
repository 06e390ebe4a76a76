// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "wxcards",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "WXCards", targets: ["WXCards"]),
        .executable(name: "wxcards", targets: ["wxcards"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // The server, the database client and their shutdown order as one ServiceGroup.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // AES-GCM for encrypt_code (WeChat's scheme is private; ours must be reversible and keyed).
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        // Event pushes to the merchant's message server.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // The web console's pages (escaping by default; no HTML built by string concatenation).
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // SQLite from the system (Debian's libsqlite3-dev; macOS's SDK): a declared C target,
        // so the code depends on nothing another package keeps internal.
        .target(
            name: "CSQLite",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        .target(
            name: "WXCards",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "SQLKit", package: "sql-kit"),
                "CSQLite",
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                // AES-CBC, WeChat's message encryption.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // The version and the git commit of the build, for `wxcards --version`.
        .target(
            name: "BuildInfo",
            plugins: ["GitCommitPlugin"]
        ),
        .plugin(name: "GitCommitPlugin", capability: .buildTool()),
        .executableTarget(
            name: "wxcards",
            dependencies: [
                "WXCards",
                "BuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "WXCardsTests",
            dependencies: [
                "WXCards",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
