//! Two clocks start where the rules start them: the recognition decision from the
//! branch's recognition resolution (13-KNĐ), with an extension in special cases, and the
//! ceremony from the day the branch received the admission decision.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Candidate {
    Table,
    RecognitionBranchOn,
    RecognitionDecisionExtended,
    DecisionReceivedOn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            date_null(Candidate::RecognitionBranchOn),
            boolean(Candidate::RecognitionDecisionExtended)
                .default(false)
                .to_owned(),
            date_null(Candidate::DecisionReceivedOn),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(Candidate::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        // The recognition resolutions already on record.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE candidate SET recognition_branch_on = (SELECT MAX(r.resolved_on) FROM resolution r \
                 WHERE r.candidate_id = candidate.id AND r.kind = 'BRANCH_RECOGNITION' AND r.approved)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Candidate::RecognitionBranchOn,
            Candidate::RecognitionDecisionExtended,
            Candidate::DecisionReceivedOn,
        ] {
            manager
                .alter_table(Table::alter().table(Candidate::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
