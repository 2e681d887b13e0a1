//! Catalog reads: pose and sequence lists with 1.0's filters, single records, and
//! the counts behind `/sequences/categories`.

use crate::dynamic::{Arg, Sql, bind_args};
use crate::rows::{PoseRow, SequenceRow, SlotRow, pose_columns, sequence_columns};
use crate::{Db, StoreError, on_pool};
use sqlx::AssertSqlSafe;
use std::collections::HashMap;
use yogaflow_core::catalog::{Page, Pose, PoseQuery, Sequence, SequenceQuery, SequenceSlot};
use yogaflow_core::text::{like_contains, like_exact_name, like_name_prefix};

/// One page of sequences with the totals 1.0's list shows.
#[derive(Debug, Clone)]
pub struct SequencePage {
    /// Each sequence comes without slots, with its slot count and hold seconds.
    pub items: Vec<(Sequence, u32, u32)>,
    pub total: u64,
}

/// Counts behind `GET /sequences/categories`.
#[derive(Debug, Clone, Default)]
pub struct SequenceFacets {
    pub by_difficulty: Vec<(String, i64)>,
    pub by_focus_area: Vec<(String, i64)>,
    pub by_style: Vec<(String, i64)>,
    /// 1.0's buckets: 0-15, 16-30, 31-45, 46+ minutes.
    pub by_duration: Vec<(String, i64)>,
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn page_args(sql: &mut Sql, page: Page) {
    sql.push(" LIMIT ")
        .push_arg(Arg::I64(i64::from(page.limit())))
        .push(" OFFSET ")
        .push_arg(Arg::I64(i64::try_from(page.offset()).unwrap_or(i64::MAX)));
}

/// The `WHERE` clause of a pose list.
fn pose_filters(sql: &mut Sql, q: &PoseQuery) {
    sql.push(" WHERE 1 = 1");
    // Every word of the search must appear in a name or the description; the
    // whole phrase is then used for ranking.
    if let Some(s) = &q.search {
        for word in s.split_whitespace().take(8) {
            let ph = sql.arg(Arg::Text(like_contains(word)));
            sql.push(" AND (p.search_names LIKE ")
                .push_placeholder(&ph)
                .push(" ESCAPE '\\' OR p.search_body LIKE ")
                .push_placeholder(&ph)
                .push(" ESCAPE '\\')");
        }
    }
    if let Some(c) = q.category {
        sql.push(" AND p.category = ")
            .push_arg(Arg::Text(c.as_str().into()));
    }
    if let Some(d) = q.difficulty {
        sql.push(" AND p.difficulty = ")
            .push_arg(Arg::Text(d.as_str().into()));
    }
    if let Some(a) = q.target_area {
        sql.push(
            " AND EXISTS (SELECT 1 FROM pose_target_areas a WHERE a.pose_id = p.id AND a.area = ",
        )
        .push_arg(Arg::Text(a.as_str().into()))
        .push(")");
    }
}

/// Builds the pose list query and its count query (exposed for query-plan tests).
pub(crate) fn pose_list_sql(q: &PoseQuery) -> (Sql, Sql) {
    let mut list = Sql::default();
    list.push(concat!("SELECT ", pose_columns!(), " FROM poses p"));
    pose_filters(&mut list, q);
    list.push(" ORDER BY ");
    if let Some(s) = &q.search {
        let ph = list.arg(Arg::Text(like_contains(s)));
        // Rank: a name equals the phrase, starts with it, contains it, contains
        // all its words; then poses found only through their description.
        let exact = list.arg(Arg::Text(like_exact_name(s)));
        let prefix = list.arg(Arg::Text(like_name_prefix(s)));
        list.push("CASE WHEN p.search_names LIKE ")
            .push_placeholder(&exact)
            .push(" ESCAPE '\\' THEN 0 WHEN p.search_names LIKE ")
            .push_placeholder(&prefix)
            .push(" ESCAPE '\\' THEN 1 WHEN p.search_names LIKE ")
            .push_placeholder(&ph)
            .push(" ESCAPE '\\' THEN 2 WHEN 1 = 1");
        for word in s.split_whitespace().take(8) {
            let w = list.arg(Arg::Text(like_contains(word)));
            list.push(" AND p.search_names LIKE ")
                .push_placeholder(&w)
                .push(" ESCAPE '\\'");
        }
        list.push(" THEN 3 ELSE 4 END, ");
    }
    list.push("p.english_name, p.id");
    page_args(&mut list, q.page);
    let mut total = Sql::default();
    total.push("SELECT COUNT(*) FROM poses p");
    pose_filters(&mut total, q);
    (list, total)
}

/// `WHERE` clause of a sequence list: presets, plus the viewer's own sequences.
fn sequence_filters(sql: &mut Sql, q: &SequenceQuery, viewer: Option<i64>) {
    match (q.preset_only, viewer) {
        (Some(true), _) | (None, None) => {
            sql.push(" WHERE q.is_preset = TRUE");
        }
        (Some(false), Some(v)) => {
            sql.push(" WHERE q.is_preset = FALSE AND q.owner_id = ")
                .push_arg(Arg::I64(v));
        }
        (None, Some(v)) => {
            sql.push(" WHERE (q.is_preset = TRUE OR q.owner_id = ")
                .push_arg(Arg::I64(v))
                .push(")");
        }
        (Some(false), None) => {
            // Anonymous callers own nothing, so "only user sequences" is empty.
            sql.push(" WHERE 1 = 0");
        }
    }
    if let Some(s) = &q.search {
        sql.push(" AND q.search_name LIKE ")
            .push_arg(Arg::Text(like_contains(s)))
            .push(" ESCAPE '\\'");
    }
    if let Some(d) = q.difficulty {
        sql.push(" AND q.difficulty = ")
            .push_arg(Arg::Text(d.as_str().into()));
    }
    if let Some(f) = q.focus_area {
        sql.push(" AND q.focus_area = ")
            .push_arg(Arg::Text(f.as_str().into()));
    }
    if let Some(s) = q.style {
        sql.push(" AND q.style = ")
            .push_arg(Arg::Text(s.as_str().into()));
    }
    if let Some(m) = q.min_duration {
        sql.push(" AND q.duration_minutes >= ")
            .push_arg(Arg::I64(i64::from(m)));
    }
    if let Some(m) = q.max_duration {
        sql.push(" AND q.duration_minutes <= ")
            .push_arg(Arg::I64(i64::from(m)));
    }
}

pub(crate) fn sequence_list_sql(q: &SequenceQuery, viewer: Option<i64>) -> (Sql, Sql) {
    let mut list = Sql::default();
    list.push(concat!("SELECT ", sequence_columns!(), " FROM sequences q"));
    sequence_filters(&mut list, q, viewer);
    list.push(" ORDER BY q.name, q.id");
    page_args(&mut list, q.page);
    let mut total = Sql::default();
    total.push("SELECT COUNT(*) FROM sequences q");
    sequence_filters(&mut total, q, viewer);
    (list, total)
}

#[derive(sqlx::FromRow)]
struct SlotTotals {
    sequence_id: i64,
    slots: i64,
    seconds: i64,
}

#[derive(sqlx::FromRow)]
struct Bucket {
    key: String,
    n: i64,
}

impl Db {
    /// One page of poses matching `q`, and how many match in all.
    ///
    /// # Errors
    /// Database failures and rows that do not decode.
    pub async fn list_poses(&self, q: &PoseQuery) -> Result<(Vec<Pose>, u64), StoreError> {
        let (list, total) = pose_list_sql(q);
        let rows: Vec<PoseRow> = on_pool!(self, p => bind_args!(sqlx::query_as(AssertSqlSafe(list.text.clone())), &list.args).fetch_all(p).await)?;
        let n: i64 = on_pool!(self, p => bind_args!(sqlx::query_scalar(AssertSqlSafe(total.text.clone())), &total.args).fetch_one(p).await)?;
        let poses = rows
            .into_iter()
            .map(Pose::try_from)
            .collect::<Result<_, _>>()?;
        Ok((poses, count(n)))
    }

    /// # Errors
    /// Database failures and rows that do not decode.
    pub async fn get_pose(&self, id: i64) -> Result<Option<Pose>, StoreError> {
        const SQL: &str = concat!("SELECT ", pose_columns!(), " FROM poses p WHERE p.id = $1");
        let row: Option<PoseRow> =
            on_pool!(self, p => sqlx::query_as(SQL).bind(id).fetch_optional(p).await)?;
        row.map(Pose::try_from).transpose()
    }

    /// Every pose, by id; the catalog is small enough to hold in memory.
    ///
    /// # Errors
    /// Database failures and rows that do not decode.
    pub async fn all_poses(&self) -> Result<Vec<Pose>, StoreError> {
        const SQL: &str = concat!("SELECT ", pose_columns!(), " FROM poses p ORDER BY p.id");
        let rows: Vec<PoseRow> = on_pool!(self, p => sqlx::query_as(SQL).fetch_all(p).await)?;
        rows.into_iter().map(Pose::try_from).collect()
    }

    /// The poses a sequence uses, each once.
    ///
    /// # Errors
    /// Database failures and rows that do not decode.
    pub async fn poses_of_sequence(&self, sequence_id: i64) -> Result<Vec<Pose>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            pose_columns!(),
            " FROM poses p WHERE p.id IN (SELECT s.pose_id FROM sequence_slots s WHERE s.sequence_id = $1) ORDER BY p.id"
        );
        let rows: Vec<PoseRow> =
            on_pool!(self, p => sqlx::query_as(SQL).bind(sequence_id).fetch_all(p).await)?;
        rows.into_iter().map(Pose::try_from).collect()
    }

    /// The preset sequences that include a pose, by name, for "used in".
    ///
    /// # Errors
    /// Database failures.
    pub async fn presets_using_pose(&self, pose_id: i64) -> Result<Vec<(i64, String)>, StoreError> {
        const SQL: &str = "SELECT DISTINCT q.id, q.name FROM sequences q \
             JOIN sequence_slots s ON s.sequence_id = q.id \
             WHERE s.pose_id = $1 AND q.is_preset = TRUE ORDER BY q.name";
        let rows: Vec<(i64, String)> =
            on_pool!(self, p => sqlx::query_as(SQL).bind(pose_id).fetch_all(p).await)?;
        Ok(rows)
    }

    /// A sequence with its slots in order.
    ///
    /// # Errors
    /// Database failures and rows that do not decode.
    pub async fn get_sequence(&self, id: i64) -> Result<Option<Sequence>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            sequence_columns!(),
            " FROM sequences q WHERE q.id = $1"
        );
        const SLOTS: &str = "SELECT s.id, s.position, s.pose_id, s.seconds, s.side, s.note \
             FROM sequence_slots s WHERE s.sequence_id = $1 ORDER BY s.position";
        let row: Option<SequenceRow> =
            on_pool!(self, p => sqlx::query_as(SQL).bind(id).fetch_optional(p).await)?;
        let Some(row) = row else { return Ok(None) };
        let slots: Vec<SlotRow> =
            on_pool!(self, p => sqlx::query_as(SLOTS).bind(id).fetch_all(p).await)?;
        let slots = slots
            .into_iter()
            .map(SequenceSlot::try_from)
            .collect::<Result<_, _>>()?;
        row.into_sequence(slots).map(Some)
    }

    /// One page of the sequences `viewer` may see that match `q`.
    ///
    /// # Errors
    /// Database failures and rows that do not decode.
    pub async fn list_sequences(
        &self,
        q: &SequenceQuery,
        viewer: Option<i64>,
    ) -> Result<SequencePage, StoreError> {
        let (list, total) = sequence_list_sql(q, viewer);
        let rows: Vec<SequenceRow> = on_pool!(self, p => bind_args!(sqlx::query_as(AssertSqlSafe(list.text.clone())), &list.args).fetch_all(p).await)?;
        let n: i64 = on_pool!(self, p => bind_args!(sqlx::query_scalar(AssertSqlSafe(total.text.clone())), &total.args).fetch_one(p).await)?;
        let mut totals = HashMap::new();
        if !rows.is_empty() {
            let mut sql = Sql::default();
            sql.push("SELECT s.sequence_id, COUNT(*) AS slots, SUM(s.seconds) AS seconds FROM sequence_slots s WHERE s.sequence_id IN (");
            for (i, r) in rows.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.push_arg(Arg::I64(r.id));
            }
            sql.push(") GROUP BY s.sequence_id");
            let t: Vec<SlotTotals> = on_pool!(self, p => bind_args!(sqlx::query_as(AssertSqlSafe(sql.text.clone())), &sql.args).fetch_all(p).await)?;
            totals = t
                .into_iter()
                .map(|t| (t.sequence_id, (t.slots, t.seconds)))
                .collect();
        }
        let items = rows
            .into_iter()
            .map(|r| {
                let (slots, seconds) = totals.get(&r.id).copied().unwrap_or((0, 0));
                let seq = r.into_sequence(Vec::new())?;
                Ok((
                    seq,
                    u32::try_from(slots).unwrap_or(0),
                    u32::try_from(seconds).unwrap_or(0),
                ))
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(SequencePage {
            items,
            total: count(n),
        })
    }

    /// Counts of preset sequences by level, focus, style and length.
    ///
    /// # Errors
    /// Database failures.
    pub async fn sequence_facets(&self) -> Result<SequenceFacets, StoreError> {
        const BY_DIFFICULTY: &str = "SELECT difficulty AS key, COUNT(*) AS n FROM sequences WHERE is_preset = TRUE GROUP BY difficulty ORDER BY difficulty";
        const BY_FOCUS: &str = "SELECT focus_area AS key, COUNT(*) AS n FROM sequences WHERE is_preset = TRUE GROUP BY focus_area ORDER BY focus_area";
        const BY_STYLE: &str = "SELECT style AS key, COUNT(*) AS n FROM sequences WHERE is_preset = TRUE GROUP BY style ORDER BY style";
        const BY_DURATION: &str = "SELECT CASE WHEN duration_minutes <= 15 THEN '0-15' WHEN duration_minutes <= 30 THEN '16-30' \
             WHEN duration_minutes <= 45 THEN '31-45' ELSE '46+' END AS key, COUNT(*) AS n \
             FROM sequences WHERE is_preset = TRUE GROUP BY 1 ORDER BY 1";
        let mut facets = SequenceFacets::default();
        for (sql, out) in [
            (BY_DIFFICULTY, &mut facets.by_difficulty),
            (BY_FOCUS, &mut facets.by_focus_area),
            (BY_STYLE, &mut facets.by_style),
            (BY_DURATION, &mut facets.by_duration),
        ] {
            let rows: Vec<Bucket> = on_pool!(self, p => sqlx::query_as(sql).fetch_all(p).await)?;
            *out = rows.into_iter().map(|b| (b.key, b.n)).collect();
        }
        Ok(facets)
    }

    /// The database's plan for a pose list query, one line per plan step; used to
    /// prove that every filter the API offers is served by an index.
    ///
    /// # Errors
    /// Database failures.
    pub async fn explain_pose_list(&self, q: &PoseQuery) -> Result<String, StoreError> {
        let (list, _) = pose_list_sql(q);
        self.explain(list).await
    }

    /// Like [`Db::explain_pose_list`], for sequence lists.
    ///
    /// # Errors
    /// Database failures.
    pub async fn explain_sequence_list(
        &self,
        q: &SequenceQuery,
        viewer: Option<i64>,
    ) -> Result<String, StoreError> {
        let (list, _) = sequence_list_sql(q, viewer);
        self.explain(list).await
    }

    async fn explain(&self, sql: Sql) -> Result<String, StoreError> {
        let lines: Vec<String> = match self {
            Db::Sqlite(p) => {
                let text = format!("EXPLAIN QUERY PLAN {}", sql.text);
                let rows: Vec<(i64, i64, i64, String)> =
                    bind_args!(sqlx::query_as(AssertSqlSafe(text)), &sql.args)
                        .fetch_all(p)
                        .await?;
                rows.into_iter().map(|r| r.3).collect()
            }
            Db::Postgres(p) => {
                // Planner statistics on a small catalog favour sequential scans;
                // turning them off shows whether an index can serve the query.
                let mut conn = p.acquire().await?;
                sqlx::query("SET enable_seqscan = off")
                    .execute(&mut *conn)
                    .await?;
                let text = format!("EXPLAIN {}", sql.text);
                let rows: Vec<String> =
                    bind_args!(sqlx::query_scalar(AssertSqlSafe(text)), &sql.args)
                        .fetch_all(&mut *conn)
                        .await?;
                sqlx::query("RESET enable_seqscan")
                    .execute(&mut *conn)
                    .await?;
                rows
            }
        };
        Ok(lines.join("\n"))
    }

    /// The catalog's change counter; it grows with every catalog write.
    ///
    /// # Errors
    /// Database failures.
    pub async fn catalog_version(&self) -> Result<i64, StoreError> {
        const SQL: &str = "SELECT version FROM catalog_state WHERE id = 1";
        Ok(on_pool!(self, p => sqlx::query_scalar(SQL).fetch_one(p).await)?)
    }
}
