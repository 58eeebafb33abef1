//! The revision graph (Alembic's `RevisionMap`): a pure DAG of revision ids, with no filesystem.
//!
//! It resolves what users type (`head`, `heads`, `base`, an id prefix, `+N`, `-N`, `<rev>+N`,
//! `label@head`) into revisions, plans the steps of an upgrade or downgrade between the heads
//! recorded in the version table and a target, and keeps that set of heads up to date step by
//! step, so branches and merges move the version table the way Alembic's does.

use std::collections::{BTreeMap, BTreeSet};

/// One node of the graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revision {
    pub id: String,
    /// Parents; empty for a base, two or more for a merge.
    pub down_revisions: Vec<String>,
    pub branch_labels: Vec<String>,
    /// Extra ancestors that must be applied first, without being parents.
    pub depends_on: Vec<String>,
}

impl Revision {
    pub fn new(id: &str, down_revisions: &[&str]) -> Self {
        Revision {
            id: id.to_owned(),
            down_revisions: down_revisions.iter().map(|s| (*s).to_owned()).collect(),
            branch_labels: Vec::new(),
            depends_on: Vec::new(),
        }
    }
}

/// Everything that can go wrong resolving revisions. Each message says what to do next.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RevisionError {
    #[error("revision `{0}` not found; run `cargo migrate history` to list revisions")]
    Unknown(String),
    #[error("revision prefix `{prefix}` is ambiguous: it matches {}; type more characters", candidates.join(", "))]
    Ambiguous {
        prefix: String,
        candidates: Vec<String>,
    },
    #[error(
        "there are multiple heads ({}); name one, use `heads` to upgrade all, or run `cargo migrate merge heads -m \"...\"`",
        heads.join(", ")
    )]
    MultipleHeads { heads: Vec<String> },
    #[error("revision `{id}` appears in two files; give one of them a new id")]
    Duplicate { id: String },
    #[error("revision `{revision}` names down revision `{parent}`, which does not exist")]
    MissingParent { revision: String, parent: String },
    #[error("the revisions {} form a cycle; fix their DOWN_REVISION", ids.join(", "))]
    Cycle { ids: Vec<String> },
    #[error("cannot move {steps} step(s) {direction} from `{from}`: {reason}")]
    Relative {
        from: String,
        steps: usize,
        direction: &'static str,
        reason: String,
    },
    #[error("`{0}` is not a revision, `head`, `heads`, `base` or relative step (`+N`, `-N`)")]
    BadSpec(String),
    #[error("revision `{target}` is not an ancestor of the current revision(s) {}; a downgrade only moves down", current.join(", "))]
    NotAnAncestor {
        target: String,
        current: Vec<String>,
    },
}

/// A planned step: apply (`upgrade`) or undo (`downgrade`) one revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub revision: String,
    pub upgrade: bool,
}

/// The graph of all revisions.
#[derive(Clone, Debug, Default)]
pub struct RevisionMap {
    revisions: BTreeMap<String, Revision>,
    children: BTreeMap<String, BTreeSet<String>>,
}

type Result<T> = std::result::Result<T, RevisionError>;

impl RevisionMap {
    /// Builds and validates the graph: ids unique, parents present, no cycle.
    pub fn new(revisions: impl IntoIterator<Item = Revision>) -> Result<Self> {
        let mut map = RevisionMap::default();
        for revision in revisions {
            if map.revisions.contains_key(&revision.id) {
                return Err(RevisionError::Duplicate { id: revision.id });
            }
            map.children.entry(revision.id.clone()).or_default();
            map.revisions.insert(revision.id.clone(), revision);
        }
        for revision in map.revisions.values() {
            for parent in revision.down_revisions.iter().chain(&revision.depends_on) {
                if !map.revisions.contains_key(parent) {
                    return Err(RevisionError::MissingParent {
                        revision: revision.id.clone(),
                        parent: parent.clone(),
                    });
                }
            }
            for parent in &revision.down_revisions {
                map.children
                    .entry(parent.clone())
                    .or_default()
                    .insert(revision.id.clone());
            }
        }
        let all: BTreeSet<String> = map.revisions.keys().cloned().collect();
        map.topological(&all)?;
        Ok(map)
    }

    pub fn is_empty(&self) -> bool {
        self.revisions.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Revision> {
        self.revisions.get(id)
    }

    /// All revisions, parents before children (ties by id).
    pub fn ordered(&self) -> Vec<&Revision> {
        let all: BTreeSet<String> = self.revisions.keys().cloned().collect();
        self.topological(&all)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|id| self.revisions.get(&id))
            .collect()
    }

    /// Revisions with no children, sorted.
    pub fn heads(&self) -> Vec<String> {
        self.children
            .iter()
            .filter(|(_, c)| c.is_empty())
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// The revisions whose parent `id` is, sorted.
    pub fn children(&self, id: &str) -> Vec<String> {
        self.children
            .get(id)
            .map(|c| c.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// The revisions of `history -r START:END`: `END` (default: every head) and its ancestors,
    /// down to and including `START` (default: base).
    pub fn range(&self, start: Option<&str>, end: Option<&str>) -> Result<BTreeSet<String>> {
        let ends = match end {
            Some(spec) => self.resolve_upgrade(&[], spec)?,
            None => self.heads(),
        };
        let mut revisions = self.ancestors(&ends);
        if let Some(spec) = start {
            let start = self.resolve_id(spec)?;
            let below: BTreeSet<String> = self
                .ancestors([&start])
                .into_iter()
                .filter(|id| *id != start)
                .collect();
            revisions.retain(|id| !below.contains(id));
        }
        Ok(revisions)
    }

    /// Revisions with no parents, sorted.
    pub fn bases(&self) -> Vec<String> {
        self.revisions
            .values()
            .filter(|r| r.down_revisions.is_empty())
            .map(|r| r.id.clone())
            .collect()
    }

    /// The single head, or `MultipleHeads`. `None` when there are no revisions.
    pub fn head(&self) -> Result<Option<String>> {
        let heads = self.heads();
        match heads.len() {
            0 => Ok(None),
            1 => Ok(heads.into_iter().next()),
            _ => Err(RevisionError::MultipleHeads { heads }),
        }
    }

    /// Resolves a full id, a unique id prefix or a branch label to an id.
    pub fn resolve_id(&self, spec: &str) -> Result<String> {
        if self.revisions.contains_key(spec) {
            return Ok(spec.to_owned());
        }
        if let Some(r) = self
            .revisions
            .values()
            .find(|r| r.branch_labels.iter().any(|l| l == spec))
        {
            return Ok(r.id.clone());
        }
        let candidates: Vec<String> = self
            .revisions
            .keys()
            .filter(|id| id.starts_with(spec))
            .cloned()
            .collect();
        match candidates.len() {
            0 => Err(RevisionError::Unknown(spec.to_owned())),
            1 => Ok(candidates.into_iter().next().unwrap_or_default()),
            _ => Err(RevisionError::Ambiguous {
                prefix: spec.to_owned(),
                candidates,
            }),
        }
    }

    /// The revisions and everything below them (parents and `depends_on`), inclusive.
    pub fn ancestors<'a>(&self, ids: impl IntoIterator<Item = &'a String>) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<String> = ids.into_iter().cloned().collect();
        while let Some(id) = stack.pop() {
            if let Some(rev) = self.revisions.get(&id) {
                if seen.insert(id) {
                    stack.extend(rev.down_revisions.iter().cloned());
                    stack.extend(rev.depends_on.iter().cloned());
                }
            }
        }
        seen
    }

    /// Orders a subset parents-first (Kahn's algorithm, ties broken by id for determinism).
    fn topological(&self, subset: &BTreeSet<String>) -> Result<Vec<String>> {
        let parents_in_subset = |id: &String| -> usize {
            self.revisions[id]
                .down_revisions
                .iter()
                .chain(&self.revisions[id].depends_on)
                .filter(|p| subset.contains(*p))
                .count()
        };
        let mut pending: BTreeMap<&String, usize> = subset
            .iter()
            .map(|id| (id, parents_in_subset(id)))
            .collect();
        let mut order = Vec::with_capacity(subset.len());
        while let Some(next) = pending
            .iter()
            .find(|(_, n)| **n == 0)
            .map(|(id, _)| (*id).clone())
        {
            pending.remove(&next);
            for (id, n) in pending.iter_mut() {
                let rev = &self.revisions[*id];
                let edges = rev
                    .down_revisions
                    .iter()
                    .chain(&rev.depends_on)
                    .filter(|p| **p == next)
                    .count();
                *n -= edges;
            }
            order.push(next);
        }
        if pending.is_empty() {
            Ok(order)
        } else {
            Err(RevisionError::Cycle {
                ids: pending.keys().map(|id| (*id).clone()).collect(),
            })
        }
    }

    /// Resolves an upgrade target given the current heads: `head`, `heads`, an id or prefix,
    /// `label@head`, `+N`, `<rev>+N`.
    pub fn resolve_upgrade(&self, current: &[String], spec: &str) -> Result<Vec<String>> {
        if spec == "heads" {
            return Ok(self.heads());
        }
        if spec == "head" {
            return Ok(self.head()?.into_iter().collect());
        }
        if let Some(label) = spec.strip_suffix("@head") {
            let labelled = self.resolve_id(label)?;
            let heads: Vec<String> = self
                .heads()
                .into_iter()
                .filter(|h| self.ancestors([h]).contains(&labelled))
                .collect();
            return match heads.len() {
                1 => Ok(heads),
                _ => Err(RevisionError::MultipleHeads { heads }),
            };
        }
        if let Some((from, n)) = split_relative(spec, '+')? {
            let start = match from {
                Some(rev) => Some(self.resolve_id(rev)?),
                None => single_current(current)?,
            };
            return Ok(vec![self.walk_up(start, n)?]);
        }
        Ok(vec![self.resolve_id(spec)?])
    }

    /// Resolves a downgrade target: `base`, `-N`, `<rev>-N`, an id or prefix. An empty result
    /// means base.
    pub fn resolve_downgrade(&self, current: &[String], spec: &str) -> Result<Vec<String>> {
        if spec == "base" {
            return Ok(Vec::new());
        }
        if let Some((from, n)) = split_relative(spec, '-')? {
            let start = match from {
                Some(rev) => self.resolve_id(rev)?,
                None => single_current(current)?.ok_or_else(|| RevisionError::Relative {
                    from: "base".into(),
                    steps: n,
                    direction: "down",
                    reason: "the database is at base".into(),
                })?,
            };
            return Ok(self.walk_down(&start, n)?.into_iter().collect());
        }
        let target = self.resolve_id(spec)?;
        if !current.is_empty() && !self.ancestors(current).contains(&target) {
            return Err(RevisionError::NotAnAncestor {
                target,
                current: current.to_vec(),
            });
        }
        Ok(vec![target])
    }

    fn walk_up(&self, start: Option<String>, steps: usize) -> Result<String> {
        let mut at = start.clone();
        for _ in 0..steps {
            let next: Vec<String> = match &at {
                None => self.bases(),
                Some(id) => self.children[id].iter().cloned().collect(),
            };
            at = Some(match next.len() {
                1 => next.into_iter().next().unwrap_or_default(),
                0 => {
                    return Err(RevisionError::Relative {
                        from: start.unwrap_or_else(|| "base".into()),
                        steps,
                        direction: "up",
                        reason: "there are not that many revisions above it".into(),
                    })
                }
                _ => {
                    return Err(RevisionError::Relative {
                        from: start.unwrap_or_else(|| "base".into()),
                        steps,
                        direction: "up",
                        reason: format!(
                            "the history branches into {}; name the revision",
                            next.join(", ")
                        ),
                    })
                }
            });
        }
        at.ok_or_else(|| RevisionError::BadSpec("+0".into()))
    }

    fn walk_down(&self, start: &str, steps: usize) -> Result<Option<String>> {
        let mut at = Some(start.to_owned());
        for _ in 0..steps {
            let Some(id) = &at else {
                return Err(RevisionError::Relative {
                    from: start.to_owned(),
                    steps,
                    direction: "down",
                    reason: "there are not that many revisions below it".into(),
                });
            };
            let parents = &self.revisions[id].down_revisions;
            at = match parents.len() {
                0 => None,
                1 => Some(parents[0].clone()),
                _ => {
                    return Err(RevisionError::Relative {
                        from: start.to_owned(),
                        steps,
                        direction: "down",
                        reason: format!("`{id}` is a merge; name the revision to go to"),
                    })
                }
            };
        }
        Ok(at)
    }

    /// The revisions to apply, parents first, to move from `current` up to `targets`.
    pub fn upgrade_plan(&self, current: &[String], targets: &[String]) -> Result<Vec<Step>> {
        let applied = self.ancestors(current);
        let wanted: BTreeSet<String> = self
            .ancestors(targets)
            .difference(&applied)
            .cloned()
            .collect();
        Ok(self
            .topological(&wanted)?
            .into_iter()
            .map(|revision| Step {
                revision,
                upgrade: true,
            })
            .collect())
    }

    /// The revisions to undo, children first, to move from `current` down to `targets`
    /// (empty: base).
    pub fn downgrade_plan(&self, current: &[String], targets: &[String]) -> Result<Vec<Step>> {
        let keep = self.ancestors(targets);
        let undo: BTreeSet<String> = self.ancestors(current).difference(&keep).cloned().collect();
        let mut order = self.topological(&undo)?;
        order.reverse();
        Ok(order
            .into_iter()
            .map(|revision| Step {
                revision,
                upgrade: false,
            })
            .collect())
    }

    /// The heads recorded in the version table after `step`, given those before it.
    pub fn heads_after(&self, heads: &BTreeSet<String>, step: &Step) -> BTreeSet<String> {
        let mut next = heads.clone();
        let rev = &self.revisions[&step.revision];
        if step.upgrade {
            for parent in &rev.down_revisions {
                next.remove(parent);
            }
            next.insert(rev.id.clone());
        } else {
            next.remove(&rev.id);
            for parent in &rev.down_revisions {
                let still_below = next.iter().any(|h| self.ancestors([h]).contains(parent));
                if !still_below {
                    next.insert(parent.clone());
                }
            }
        }
        next
    }
}

fn single_current(current: &[String]) -> Result<Option<String>> {
    match current {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        many => Err(RevisionError::MultipleHeads {
            heads: many.to_vec(),
        }),
    }
}

/// Splits `+N`, `-N`, `<rev>+N`, `<rev>-N`; `None` when `spec` has no relative part.
fn split_relative(spec: &str, sign: char) -> Result<Option<(Option<&str>, usize)>> {
    let Some(pos) = spec.rfind(sign) else {
        return Ok(None);
    };
    let (from, count) = (&spec[..pos], &spec[pos + 1..]);
    if count.is_empty() || !count.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let n: usize = count
        .parse()
        .map_err(|_| RevisionError::BadSpec(spec.to_owned()))?;
    Ok(Some(((!from.is_empty()).then_some(from), n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    /// a <- b <- c
    fn linear() -> RevisionMap {
        RevisionMap::new([
            Revision::new("a1", &[]),
            Revision::new("b2", &["a1"]),
            Revision::new("c3", &["b2"]),
        ])
        .expect("valid")
    }

    /// a <- b1, a <- b2, (b1, b2) <- m
    fn diamond(with_merge: bool) -> RevisionMap {
        let mut revs = vec![
            Revision::new("a", &[]),
            Revision::new("b1", &["a"]),
            Revision::new("b2", &["a"]),
        ];
        if with_merge {
            revs.push(Revision::new("m", &["b1", "b2"]));
        }
        RevisionMap::new(revs).expect("valid")
    }

    fn plan_ids(steps: &[Step]) -> Vec<&str> {
        steps.iter().map(|s| s.revision.as_str()).collect()
    }

    #[test]
    fn linear_upgrade_and_downgrade() {
        let map = linear();
        assert_eq!(map.heads(), ids(&["c3"]));
        let target = map.resolve_upgrade(&[], "head").expect("head");
        assert_eq!(
            plan_ids(&map.upgrade_plan(&[], &target).expect("plan")),
            ["a1", "b2", "c3"]
        );
        let cur = ids(&["c3"]);
        let down = map.resolve_downgrade(&cur, "-1").expect("-1");
        assert_eq!(down, ids(&["b2"]));
        assert_eq!(
            plan_ids(&map.downgrade_plan(&cur, &down).expect("plan")),
            ["c3"]
        );
        let base = map.resolve_downgrade(&cur, "base").expect("base");
        assert_eq!(
            plan_ids(&map.downgrade_plan(&cur, &base).expect("plan")),
            ["c3", "b2", "a1"]
        );
    }

    #[test]
    fn relative_steps() {
        let map = linear();
        assert_eq!(map.resolve_upgrade(&[], "+1").expect("+1"), ids(&["a1"]));
        assert_eq!(
            map.resolve_upgrade(&ids(&["a1"]), "+2").expect("+2"),
            ids(&["c3"])
        );
        assert_eq!(
            map.resolve_upgrade(&[], "a1+1").expect("a1+1"),
            ids(&["b2"])
        );
        assert!(matches!(
            map.resolve_upgrade(&ids(&["b2"]), "+2"),
            Err(RevisionError::Relative { .. })
        ));
        assert_eq!(
            map.resolve_downgrade(&ids(&["c3"]), "-3").expect("-3"),
            Vec::<String>::new()
        );
        assert!(map.resolve_downgrade(&ids(&["c3"]), "-4").is_err());
        assert_eq!(
            map.resolve_downgrade(&[], "c3-2").expect("c3-2"),
            ids(&["a1"])
        );
    }

    #[test]
    fn prefixes_and_unknown_ids() {
        let map = RevisionMap::new([Revision::new("ab12", &[]), Revision::new("ab34", &["ab12"])])
            .expect("valid");
        assert_eq!(map.resolve_id("ab3"), Ok("ab34".to_owned()));
        assert!(matches!(
            map.resolve_id("ab"),
            Err(RevisionError::Ambiguous { .. })
        ));
        let err = map.resolve_id("zz").expect_err("unknown");
        assert_eq!(
            err.to_string(),
            "revision `zz` not found; run `cargo migrate history` to list revisions"
        );
    }

    #[test]
    fn branches_need_a_name_and_merges_join_heads() {
        let map = diamond(false);
        assert!(matches!(
            map.resolve_upgrade(&[], "head"),
            Err(RevisionError::MultipleHeads { .. })
        ));
        let all = map.resolve_upgrade(&[], "heads").expect("heads");
        let plan = map.upgrade_plan(&[], &all).expect("plan");
        assert_eq!(plan_ids(&plan), ["a", "b1", "b2"]);
        let mut heads = BTreeSet::new();
        for step in &plan {
            heads = map.heads_after(&heads, step);
        }
        assert_eq!(heads.into_iter().collect::<Vec<_>>(), ids(&["b1", "b2"]));

        let merged = diamond(true);
        let mut heads: BTreeSet<String> = ids(&["b1", "b2"]).into_iter().collect();
        let plan = merged
            .upgrade_plan(&ids(&["b1", "b2"]), &ids(&["m"]))
            .expect("plan");
        assert_eq!(plan_ids(&plan), ["m"]);
        heads = merged.heads_after(&heads, &plan[0]);
        assert_eq!(heads.iter().cloned().collect::<Vec<_>>(), ids(&["m"]));
        // Undoing the merge restores both branch heads.
        let down = merged
            .downgrade_plan(&ids(&["m"]), &ids(&["b1", "b2"]))
            .expect("plan");
        assert_eq!(plan_ids(&down), ["m"]);
        heads = merged.heads_after(&heads, &down[0]);
        assert_eq!(heads.into_iter().collect::<Vec<_>>(), ids(&["b1", "b2"]));
    }

    #[test]
    fn downgrading_one_branch_keeps_the_shared_parent_below_the_other() {
        let map = diamond(false);
        let heads: BTreeSet<String> = ids(&["b1", "b2"]).into_iter().collect();
        let step = Step {
            revision: "b1".into(),
            upgrade: false,
        };
        assert_eq!(
            map.heads_after(&heads, &step)
                .into_iter()
                .collect::<Vec<_>>(),
            ids(&["b2"])
        );
    }

    #[test]
    fn children_and_ranges() {
        let map = diamond(true);
        assert_eq!(map.children("a"), ids(&["b1", "b2"]));
        assert_eq!(map.children("m"), Vec::<String>::new());
        let all: Vec<String> = map.range(None, None).expect("range").into_iter().collect();
        assert_eq!(all, ids(&["a", "b1", "b2", "m"]));
        let upper: Vec<String> = map
            .range(Some("b1"), None)
            .expect("range")
            .into_iter()
            .collect();
        assert_eq!(
            upper,
            ids(&["b1", "b2", "m"]),
            "everything above a, b1 included"
        );
        let lower: Vec<String> = map
            .range(None, Some("b1"))
            .expect("range")
            .into_iter()
            .collect();
        assert_eq!(lower, ids(&["a", "b1"]));
    }

    #[test]
    fn invalid_graphs_are_refused() {
        assert_eq!(
            RevisionMap::new([Revision::new("a", &[]), Revision::new("a", &[])]).err(),
            Some(RevisionError::Duplicate { id: "a".into() })
        );
        assert!(matches!(
            RevisionMap::new([Revision::new("b", &["x"])]),
            Err(RevisionError::MissingParent { .. })
        ));
        assert!(matches!(
            RevisionMap::new([Revision::new("a", &["b"]), Revision::new("b", &["a"])]),
            Err(RevisionError::Cycle { .. })
        ));
    }

    #[test]
    fn downgrade_target_must_be_below() {
        let map = diamond(false);
        assert!(matches!(
            map.resolve_downgrade(&ids(&["b1"]), "b2"),
            Err(RevisionError::NotAnAncestor { .. })
        ));
    }
}
