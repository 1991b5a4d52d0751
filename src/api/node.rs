//! `node(id:)`: any record by its global ID, through the same scope checks as every other
//! path.

use async_graphql::{Context, ID, Interface, Object};

use crate::accounts::graphql::User;
use crate::accounts::service as auth;
use crate::candidates::graphql::Candidate;
use crate::candidates::service as candidates;
use crate::error::AppError;
use crate::graphql::context::ContextExt;
use crate::graphql::relay::parse_global_id;
use crate::members::graphql::Member;
use crate::members::service as members;
use crate::org::graphql::{OrgUnit, ResidentialArea};
use crate::org::service as org;
use crate::training::graphql::Course;
use crate::training::service as training;

/// A record with a global ID.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Global ID."))]
// One value per `node` answer: the size difference between variants costs nothing.
#[allow(clippy::large_enum_variant)]
pub enum Node {
    OrgUnit(OrgUnit),
    ResidentialArea(ResidentialArea),
    User(User),
    Candidate(Candidate),
    Member(Member),
    Course(Course),
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// The record with this global ID. Missing, out-of-scope and malformed IDs all answer
    /// `NOT_FOUND`.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The record's global id.")] id: ID,
    ) -> async_graphql::Result<Option<Node>> {
        let (db, actor) = (ctx.db()?, ctx.actor()?);
        let not_found = || AppError::not_found(crate::error::noun::NODE);
        let (typename, id) = parse_global_id(&id).ok_or_else(not_found)?;
        let node = match typename.as_str() {
            OrgUnit::TYPENAME => Node::OrgUnit(OrgUnit(org::find(db, actor.scope(), id).await?)),
            ResidentialArea::TYPENAME => Node::ResidentialArea(ResidentialArea(
                crate::org::areas::find_residential_area(db, actor.scope(), id).await?,
            )),
            User::TYPENAME => Node::User(User::new(auth::find_user(db, actor, id).await?)),
            Candidate::TYPENAME => {
                actor.require_staff().map_err(|_| not_found())?;
                Node::Candidate(Candidate(candidates::find(db, actor.scope(), id).await?))
            }
            Member::TYPENAME => {
                actor.require_staff().map_err(|_| not_found())?;
                Node::Member(Member(members::find(db, actor.scope(), id).await?))
            }
            Course::TYPENAME => {
                actor.require_staff().map_err(|_| not_found())?;
                Node::Course(Course(training::find(db, actor, id).await?))
            }
            _ => return Err(not_found().into()),
        };
        Ok(Some(node))
    }
}
