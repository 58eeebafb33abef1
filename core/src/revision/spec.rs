//! What users type, resolved against the graph: `head`, `heads`, `base`, an id or unique
//! prefix, a branch label, `label@head`, `label@base`, `label@+N`, `label@-N`, `+N`, `-N`,
//! `<rev>+N`, `<rev>-N`, the start of a `--sql` range, and `history`'s `START:END` ranges. A
//! whole id or label is always itself: `release-2` is a revision before it is `release` less
//! two.

use std::collections::BTreeSet;

use super::{Result, RevisionError, RevisionMap};

impl RevisionMap {
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

    /// A whole revision id or branch label, as written.
    fn exact(&self, spec: &str) -> Option<String> {
        if self.revisions.contains_key(spec) {
            return Some(spec.to_owned());
        }
        self.revisions
            .values()
            .find(|r| r.branch_labels.iter().any(|l| l == spec))
            .map(|r| r.id.clone())
    }

    /// The start of a `--sql` range `START:END`: `base` (or nothing), `head`, `heads`, or a
    /// revision.
    pub fn resolve_start(&self, spec: &str) -> Result<Vec<String>> {
        match spec {
            "" | "base" => Ok(Vec::new()),
            "heads" => Ok(self.heads()),
            "head" => Ok(self.head()?.into_iter().collect()),
            other => Ok(vec![self.resolve_id(other)?]),
        }
    }

    /// The revisions of the branch that starts at `root`: it and its descendants.
    fn branch(&self, root: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![root.to_owned()];
        while let Some(id) = stack.pop() {
            if seen.insert(id.clone()) {
                stack.extend(self.children(&id));
            }
        }
        seen
    }

    /// The current head on the branch of `root`, if any of it is applied.
    fn current_on_branch(&self, current: &[String], root: &str) -> Result<Option<String>> {
        let on: Vec<String> = current
            .iter()
            .filter(|h| self.ancestors([*h]).contains(root))
            .cloned()
            .collect();
        match on.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one.clone())),
            _ => Err(RevisionError::MultipleHeads { heads: on }),
        }
    }

    /// `label@+N` (upgrade) or `label@-N`, `label@base` (downgrade), split; `None` for specs
    /// without `@`.
    fn split_branch(spec: &str) -> Option<(&str, &str)> {
        spec.rsplit_once('@').filter(|(label, _)| !label.is_empty())
    }

    /// `label@+N`: N steps up the branch from its current head (from its first revision when
    /// none of it is applied).
    fn branch_up(&self, current: &[String], root: &str, steps: usize) -> Result<String> {
        let branch = self.branch(root);
        let start = self.current_on_branch(current, root)?;
        let mut at = match &start {
            Some(head) => head.clone(),
            None if steps > 0 => root.to_owned(),
            None => return Err(RevisionError::BadSpec(format!("{root}@+0"))),
        };
        let remaining = if start.is_some() { steps } else { steps - 1 };
        for _ in 0..remaining {
            let next: Vec<String> = self
                .children(&at)
                .into_iter()
                .filter(|c| branch.contains(c))
                .collect();
            at = match next.as_slice() {
                [one] => one.clone(),
                [] => {
                    return Err(RevisionError::Relative {
                        from: at,
                        steps,
                        direction: "up",
                        reason: "the branch has not that many revisions above it".into(),
                    })
                }
                _ => {
                    return Err(RevisionError::Relative {
                        from: at,
                        steps,
                        direction: "up",
                        reason: format!(
                            "the branch divides into {}; name the revision",
                            next.join(", ")
                        ),
                    })
                }
            };
        }
        Ok(at)
    }

    /// Resolves an upgrade target given the current heads: `head`, `heads`, an id or prefix,
    /// `label@head`, `label@+N`, `+N`, `<rev>+N`.
    pub fn resolve_upgrade(&self, current: &[String], spec: &str) -> Result<Vec<String>> {
        if let Some(id) = self.exact(spec) {
            return Ok(vec![id]);
        }
        if let Some((label, relative)) = Self::split_branch(spec) {
            if let Some(n) = relative.strip_prefix('+').and_then(|n| n.parse().ok()) {
                let root = self.resolve_id(label)?;
                return Ok(vec![self.branch_up(current, &root, n)?]);
            }
        }
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

    /// Resolves a downgrade target: `base`, `-N`, `<rev>-N`, `label@-N`, `label@base`, an id or
    /// prefix. The result is the heads to keep; empty means base.
    pub fn resolve_downgrade(&self, current: &[String], spec: &str) -> Result<Vec<String>> {
        if spec == "base" {
            return Ok(Vec::new());
        }
        if let (None, Some((label, relative))) = (self.exact(spec), Self::split_branch(spec)) {
            let root = self.resolve_id(label)?;
            let Some(head) = self.current_on_branch(current, &root)? else {
                return Err(RevisionError::Relative {
                    from: label.to_owned(),
                    steps: 0,
                    direction: "down",
                    reason: "none of the branch is applied".into(),
                });
            };
            // The other branches' heads stay where they are.
            let mut keep: Vec<String> = current.iter().filter(|h| **h != head).cloned().collect();
            if relative == "base" {
                keep.extend(self.revisions[&root].down_revisions.iter().cloned());
            } else if let Some(n) = relative.strip_prefix('-').and_then(|n| n.parse().ok()) {
                keep.extend(self.walk_down(&head, n)?);
            } else {
                return Err(RevisionError::BadSpec(spec.to_owned()));
            }
            keep.sort();
            keep.dedup();
            return Ok(keep);
        }
        let relative = match self.exact(spec) {
            Some(_) => None,
            None => split_relative(spec, '-')?,
        };
        if let Some((from, n)) = relative {
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
                Some(id) => self.children(id),
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
            let parents = &self
                .revisions
                .get(id)
                .ok_or_else(|| RevisionError::Unknown(id.clone()))?
                .down_revisions;
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
