//! A unit read by position from the rows of a page it is joined into (`U_`, `P_`:
//! [`crate::access::with_units`]), checked equal to sea-orm's derived reader on both
//! databases.

use entity::org_unit;
use sea_orm::DbErr;

use crate::columns::{Cells, ListRow};

impl ListRow for org_unit::Model {
    fn read(c: &mut Cells<'_>) -> Result<Self, DbErr> {
        Ok(org_unit::Model {
            id: c.get("id")?,
            kind: c.code("kind")?,
            code: c.get("code")?,
            name: c.get("name")?,
            search_key: c.get("search_key")?,
            parent_id: c.get("parent_id")?,
            active_from: c.get("active_from")?,
            closed_on: c.get("closed_on")?,
            created_at: c.get("created_at")?,
            updated_at: c.get("updated_at")?,
        })
    }
}
