//! The graph itself: building and validating a [`RevisionMap`], and walking it (heads, bases,
//! children, ancestors, a parents-first order).

use std::collections::{BTreeMap, BTreeSet};

use super::{Result, Revision, RevisionError, RevisionMap};

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

    /// Revisions with no parents, sorted.
    pub fn bases(&self) -> Vec<String> {
        self.revisions
            .values()
            .filter(|r| r.down_revisions.is_empty())
            .map(|r| r.id.clone())
            .collect()
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
    pub(super) fn topological(&self, subset: &BTreeSet<String>) -> Result<Vec<String>> {
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

    /// Checks that every head read from the version table `version_table` is a revision of
    /// this graph, before anything is planned from them.
    pub fn check_known(&self, current: &[String], version_table: &str) -> Result<()> {
        let unknown: Vec<String> = current
            .iter()
            .filter(|id| !self.revisions.contains_key(*id))
            .cloned()
            .collect();
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(RevisionError::NotInProject {
                revisions: unknown,
                version_table: version_table.to_owned(),
            })
        }
    }
}
