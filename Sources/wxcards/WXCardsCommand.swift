import ArgumentParser
import BuildInfo

@main
struct WXCardsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wxcards",
        abstract: "A server that speaks the WeChat Official Account Cards & Offers API, member cards first.",
        discussion: "Every option can also be set through the environment variable named in its help.",
        version: "wxcards \(versionLine)",
        subcommands: [Serve.self, Migrate.self, Reset.self, PushReceiverCommand.self],
        defaultSubcommand: Serve.self
    )
}
