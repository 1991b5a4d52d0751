//! Subscriptions: what a district dashboard hears of without polling — acts recorded in
//! its subtree, deadlines falling due, reports whose figures changed — each scoped exactly
//! as a query is. The events come from `crate::events`; the WebSocket transport that
//! carries them is `crate::api::ws`.

pub mod graphql;
