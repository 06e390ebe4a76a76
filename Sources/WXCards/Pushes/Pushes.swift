import Foundation
import SQLKit
import Synchronization

/// What features call when something happens that WeChat pushes to the merchant: the push is
/// written in the caller's transaction (so it exists exactly when the change does) and the
/// delivery workers of this process are woken.
public enum Pushes {
    static func record(_ db: any SQLDatabase, appid: String, _ event: PushEvent, now: Int64) async throws {
        let wall = wallMilliseconds
        // Only a push written wakes the workers: an app without a message server must not cost
        // the writer a claim every few milliseconds.
        if try await PushStore.enqueue(db, appid: appid, event: event, createTime: now, wallMilliseconds: wall) {
            written.store(true, ordering: .releasing)
        }
    }

    /// A component's authorization event (`InfoType`), to its authorization-event URL.
    static func recordComponent(_ db: any SQLDatabase, componentAppID: String, infoType: String, xml: String, now: Int64) async throws {
        let wall = wallMilliseconds
        if try await PushStore.enqueueComponent(db, componentAppID: componentAppID, infoType: infoType, xml: xml,
                                                createTime: now, wallMilliseconds: wall) {
            written.store(true, ordering: .releasing)
        }
    }

    /// When a push written now is first due: the wall clock in milliseconds (delivery runs on
    /// real time, not the sandbox clock).
    static var wallMilliseconds: Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Set when a push was written; a worker looking for work takes it. Set before the commit:
    /// on SQLite the worker's claim queues behind that commit anyway; on PostgreSQL a claim that
    /// comes too early finds the push on its next look, 250 ms later.
    static let written = Atomic<Bool>(false)
}
