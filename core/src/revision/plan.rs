//! Planning: the steps of an upgrade or downgrade between the heads in the version table and a
//! target, and how each step moves that set of heads (branches and merges included).

use std::collections::BTreeSet;

use super::{Result, RevisionMap, Step};

impl RevisionMap {
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
        // Steps come from this graph's plans; a foreign one changes nothing.
        let Some(rev) = self.revisions.get(&step.revision) else {
            return next;
        };
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
