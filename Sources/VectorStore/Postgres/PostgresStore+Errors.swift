import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

extension PostgresStore {
    /// Maps driver and server errors to ``StoreError``; cancellation passes through unchanged.
    func translating(_ error: any Error, while what: String) -> any Error {
        switch error {
        case let error as StoreError:
            return error
        case is CancellationError:
            return error
        case let error as PostgresTransactionError:
            if let inner = error.closureError ?? error.beginError ?? error.commitError {
                return translating(inner, while: what)
            }
            return StoreError(.storageFailure, "\(what) failed in a transaction", underlying: error)
        case is ConnectionWaitTimeout:
            return StoreError(
                .unavailable,
                "\(what): PostgreSQL at \(configuration.redactedDescription) did not answer within "
                    + "\(configuration.connectionTimeout) (is it running? `asset3d db start`); reconnecting in the background")
        case let error as PSQLError:
            return translating(error, while: what)
        case is IOError, is ChannelError, is NIOConnectionError:
            return unavailable(what, error)
        default:
            return StoreError(.storageFailure, "\(what) failed", underlying: error)
        }
    }

    private func unavailable(_ what: String, _ error: any Error) -> StoreError {
        StoreError(
            .unavailable,
            "\(what): lost the connection to PostgreSQL at \(configuration.redactedDescription); "
                + "it will be retried automatically when the server is back",
            underlying: error)
    }

    private func translating(_ error: PSQLError, while what: String) -> any Error {
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
            .sslUnsupported, .failedToAddSSLHandler:
            return unavailable(what, error)
        case .queryCancelled:
            return CancellationError()
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = error.serverInfo?[.message] ?? "server error"
            if state.hasPrefix("08") || state.hasPrefix("53") || ["57P01", "57P02", "57P03"].contains(state) {
                return unavailable(what, error)
            }
            if state.hasPrefix("28") {
                return StoreError(
                    .unavailable, "\(what): PostgreSQL refused the credentials for \(configuration.redactedDescription)",
                    underlying: error)
            }
            if state == "3D000" {
                return StoreError(
                    .unavailable, "\(what): database '\(configuration.database)' does not exist", underlying: error)
            }
            if state == "23503" {
                return StoreError(.unknownAsset, "\(what): vectors refer to an asset that is not stored", underlying: error)
            }
            if state == "42P01" || state == "22000" {
                // A vector table is gone or has another dimension: another process dropped or recreated a
                // space. Forget every cached space so the next call reads them again.
                spaceCache.withLock { $0 = [:] }
            }
            if state.hasPrefix("22") {
                return StoreError(.invalidArgument, "\(what): \(message)", underlying: error)
            }
            if state == "42P01" {
                return StoreError(
                    .unknownSpace, "\(what): a table is missing (space dropped meanwhile, or migrate() not run)",
                    underlying: error)
            }
            return StoreError(.storageFailure, "\(what) failed (SQLSTATE \(state))", underlying: error)
        default:
            return StoreError(.storageFailure, "\(what) failed (\(error.code))", underlying: error)
        }
    }
}
