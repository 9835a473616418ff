import ArgumentParser

/// The `asset3d` command line tool.
@main
struct Asset3D: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asset3d",
        abstract: "Find 3D assets by English or Chinese text, or by a picture.",
        subcommands: [RenderCommand.self]
    )
}
