//! Tiny literal DAGs: linear, branched, merged, and broken ones.

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

#[test]
fn heads_the_project_does_not_contain_are_refused_by_name() {
    let map = linear();
    assert_eq!(map.check_known(&ids(&["b2"]), "retort_version"), Ok(()));
    let err = map
        .check_known(&ids(&["b2", "zz9"]), "retort_version")
        .expect_err("zz9 is unknown");
    let message = err.to_string();
    assert!(message.contains("revision `zz9`"), "{message}");
    assert!(message.contains("stamp --purge"), "{message}");
    assert!(!message.contains("`b2`"), "{message}");
}

/// Relative steps from a head the graph does not know are errors, not panics.
#[test]
fn relative_steps_from_unknown_heads_do_not_panic() {
    let map = linear();
    assert!(map.resolve_upgrade(&ids(&["zz9"]), "+1").is_err());
    assert!(map.resolve_downgrade(&ids(&["zz9"]), "-1").is_err());
}

/// a <- b1 <- c1 (branch `left` from b1), a <- b2 <- c2 (branch `right` from b2).
fn labelled_branches() -> RevisionMap {
    let mut b1 = Revision::new("b1", &["a"]);
    b1.branch_labels.push("left".into());
    let mut b2 = Revision::new("b2", &["a"]);
    b2.branch_labels.push("right".into());
    RevisionMap::new([
        Revision::new("a", &[]),
        b1,
        Revision::new("c1", &["b1"]),
        b2,
        Revision::new("c2", &["b2"]),
    ])
    .expect("valid")
}

#[test]
fn branch_relative_steps_move_one_branch_only() {
    let map = labelled_branches();
    // Nothing of `left` applied: +1 is its first revision, +2 the one after.
    assert_eq!(
        map.resolve_upgrade(&ids(&["b2"]), "left@+1")
            .expect("left@+1"),
        ids(&["b1"])
    );
    assert_eq!(
        map.resolve_upgrade(&ids(&["b2"]), "left@+2")
            .expect("left@+2"),
        ids(&["c1"])
    );
    assert_eq!(
        map.resolve_upgrade(&ids(&["b1", "b2"]), "right@+1")
            .expect("right@+1"),
        ids(&["c2"])
    );
    assert!(map.resolve_upgrade(&ids(&["c1"]), "left@+1").is_err());

    let both = ids(&["c1", "c2"]);
    let down = map.resolve_downgrade(&both, "left@-1").expect("left@-1");
    assert_eq!(down, ids(&["b1", "c2"]), "the right branch stays at c2");
    assert_eq!(
        plan_ids(&map.downgrade_plan(&both, &down).expect("plan")),
        ["c1"]
    );
    let down = map
        .resolve_downgrade(&both, "left@base")
        .expect("left@base");
    assert_eq!(down, ids(&["a", "c2"]));
    assert_eq!(
        plan_ids(&map.downgrade_plan(&both, &down).expect("plan")),
        ["c1", "b1"]
    );
    assert!(map.resolve_downgrade(&ids(&["c2"]), "left@-1").is_err());
}

#[test]
fn an_id_ending_in_a_number_is_that_revision() {
    let map = RevisionMap::new([
        Revision::new("release", &[]),
        Revision::new("release-2", &["release"]),
        Revision::new("hotfix+1", &["release-2"]),
    ])
    .expect("valid");
    assert_eq!(
        map.resolve_downgrade(&ids(&["hotfix+1"]), "release-2")
            .expect("id"),
        ids(&["release-2"])
    );
    assert_eq!(
        map.resolve_upgrade(&ids(&["release"]), "hotfix+1")
            .expect("id"),
        ids(&["hotfix+1"])
    );
    // Not a whole id: still a relative step.
    assert_eq!(
        map.resolve_downgrade(&ids(&["hotfix+1"]), "hotfix+1-2")
            .expect("relative"),
        ids(&["release"])
    );
}

#[test]
fn sql_range_starts() {
    let map = linear();
    assert_eq!(map.resolve_start("head").expect("head"), ids(&["c3"]));
    assert_eq!(map.resolve_start("heads").expect("heads"), ids(&["c3"]));
    assert!(map.resolve_start("base").expect("base").is_empty());
    assert!(map.resolve_start("").expect("empty").is_empty());
    assert_eq!(map.resolve_start("b2").expect("id"), ids(&["b2"]));
}
