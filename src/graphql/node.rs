//! `node(id:)`: any record by its global ID, through the same scope checks as every other
//! path.

use async_graphql::{Context, ID, Interface, Object};

use crate::auth::graphql::User;
use crate::auth::service as auth;
use crate::error::AppError;
use crate::graphql::context::ContextExt;
use crate::graphql::relay::parse_global_id;
use crate::org::graphql::{OrgUnit, ResidentialArea};
use crate::org::service as org;

/// A record with a global ID.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Global ID."))]
pub enum Node {
    OrgUnit(OrgUnit),
    ResidentialArea(ResidentialArea),
    User(User),
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// The record with this global ID. Missing, out-of-scope and malformed IDs all answer
    /// `NOT_FOUND`.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Node>> {
        let (db, actor) = (ctx.db()?, ctx.actor()?);
        let not_found = || AppError::not_found("node");
        let (typename, id) = parse_global_id(&id).ok_or_else(not_found)?;
        let node = match typename.as_str() {
            OrgUnit::TYPENAME => Node::OrgUnit(OrgUnit(org::find(db, actor.scope(), id).await?)),
            ResidentialArea::TYPENAME => Node::ResidentialArea(ResidentialArea(
                org::find_residential_area(db, actor.scope(), id).await?,
            )),
            User::TYPENAME => Node::User(User(auth::find_user(db, actor, id).await?)),
            _ => return Err(not_found().into()),
        };
        Ok(Some(node))
    }
}
