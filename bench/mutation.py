"""Mutation testing of one module with the tests that touch it (cosmic-ray).

Usage::

    .venv/bin/python bench/mutation.py engine/inputs/derive.py
    .venv/bin/python bench/mutation.py engine/scoring/fit.py --tests tests/engine/scoring
    .venv/bin/python bench/mutation.py --list
    .venv/bin/python bench/mutation.py engine/eligibility/candidates.py --sample 80
    .venv/bin/python bench/mutation.py engine/eligibility/candidates.py --rest-of-sample 80
    .venv/bin/python bench/mutation.py engine/eligibility/candidates.py --sample 80 --resume

Each mutant is one small change to the module (an operator swapped, a
number moved by one, a comparison turned, a loop skipped); the module's
tests are run against it and either catch it (killed) or do not (survived).
The run happens in a throw-away copy of the work tree, so the tree you edit
is never touched and an interrupted run leaves nothing mutated behind.
The session database and a JSON summary are kept in ``.mutation/``; the
summary's survivors, each with its diff, are what docs/mutation.md
explains (equivalent, or accepted with a reason). Nothing is silenced in the
source: there are no pragmas.

The operator set is cosmic-ray's core set less the families listed in
:data:`EXCLUDED` (why each is left out is said there); the same set is used
for every module so that scores compare. One mutant runs the tests once
(5-15 s here); keep runs to one module at a time.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / ".mutation"

# The requirement kinds (engine/rules/kinds/), each measured on its own with
# the kinds' unit tests and the rule cases.
KINDS = sorted(p.stem for p in (ROOT / "engine/rules/kinds").glob("*.py") if p.stem != "__init__")

AGE_PROPERTY = (
    "tests/engine/rules/test_requirements.py::test_an_age_verdict_flips_exactly_on_the_birthday"
)

# The tests of a requirement kind: the generated reference (docs/rules-reference.md
# shows each kind's example rule and its texts in both languages; first, as it is
# quick), the kinds' unit tests and the rule cases.
KIND_TESTS = [
    "tests/engine/report/test_reference.py::test_committed_reference_and_schemas_match_the_code",
    "tests/engine/report/test_reference.py::test_every_kind_shows_its_explanation_in_both_languages",
    "tests/engine/rules/test_requirements.py",
    "tests/engine/rules/test_registry.py",
    "tests/engine/rules/kinds",
    "tests/rules",
]

# The tests that touch each module: its own tests (tests mirror the tree) and
# the suites that run it on the way to a verdict or a score. Measured scores
# in docs/mutation.md are for these selections.
TESTS: dict[str, list[str]] = {
    "engine/inputs/derive.py": [
        "tests/engine/inputs/test_derive.py",
        "tests/rules",
        "tests/engine/scoring",
    ],
    "engine/inputs/scales.py": [
        "tests/engine/inputs",
        "tests/rules",
        "tests/engine/scoring",
        "tests/engine/rules",
    ],
    # The equivalences file (rules/kesetaraan.yaml), where the scales' ranks now
    # live: its own tests, and the derived facts and move policy that read it.
    "engine/inputs/equivalence.py": [
        "tests/engine/inputs/test_equivalence.py",
        "tests/engine/inputs/test_derive.py",
        "tests/engine/eligibility/test_moves.py",
    ],
    # The scoring unit tests only: the rule cases give verdicts, not fits (at
    # 304c573 they caught none of fit's mutants), and they doubled a mutant's time.
    "engine/scoring/fit.py": ["tests/engine/scoring"],
    # The talent box: its unit tests, the rule cases that read a box and the
    # box kind's unit tests (every other rule case only passes through it).
    "engine/scoring/talent.py": [
        "tests/engine/scoring/test_talent.py",
        "tests/rules/kotak-talenta.yaml",
        "tests/engine/rules/kinds/test_kotak_talenta.py",
    ],
    "engine/rules/requirements.py": [
        "tests/engine/rules/test_requirements.py",
        "tests/engine/rules/test_registry.py",
        "tests/engine/rules/test_rules.py",
        "tests/rules",
    ],
    "engine/eligibility/candidates.py": [
        "tests/engine/eligibility",
        "tests/rules",
        "tests/engine/rules",
    ],
    "engine/eligibility/groups.py": [
        "tests/engine/eligibility",
        "tests/rules",
    ],
    "engine/eligibility/verdicts.py": [
        "tests/engine/eligibility",
        "tests/rules",
    ],
    "engine/eligibility/moves.py": [
        "tests/engine/eligibility",
        "tests/rules",
    ],
    # The soft rules as bits: their unit tests (by hand and against a rule-by-rule
    # sum), the hand-worked round of candidates (each pair's penalty and soft
    # failures) and the problem that extends the bits over the stay arcs.
    "engine/eligibility/soft.py": [
        "tests/engine/eligibility/test_soft.py",
        "tests/engine/eligibility/test_candidates.py",
        "tests/engine/model/test_problem.py",
    ],
    # The hand-worked rounds only: the random rounds (hypothesis) and the demo
    # build dozens of plans per mutant, and only the small rounds pin numbers.
    "engine/plan/sections.py": [
        "tests/engine/plan/test_sections.py",
        "tests/engine/plan/test_plan.py::test_vacancy_chain_in_one_solve",
        "tests/engine/plan/test_plan.py::test_unfilled_post_names_the_blocking_rule",
        "tests/engine/plan/test_plan.py::test_retiring_incumbent_opens_the_post",
        "tests/engine/plan/test_decisions.py",
        # Tiny rounds by hand, among them a vacant post the scenario does not open.
        "tests/engine/plan/test_open_selection.py",
        # The one hand-worked round with a side constraint (its price).
        "tests/engine/plan/test_compare.py::test_s2_rule_and_women_share_change_the_placement",
    ],
    "engine/plan/compare.py": [
        "tests/engine/plan/test_compare_records.py",
        "tests/engine/plan/test_compare.py",
        "tests/engine/inputs/test_scenarios.py::test_bup_2028_opens_the_posts_a_hand_count_predicts",
        "tests/engine/inputs/test_scenarios.py::test_jpt_s2_places_only_s2_in_jpt_and_the_rule_bites",
    ],
    **{
        f"engine/rules/kinds/{kind}.py": [
            *KIND_TESTS,
            # The birthday property test (40 rounds of loading and deriving, a
            # third of the selection's time) reaches the age kind only.
            *([] if kind == "usia" else [f"--deselect={AGE_PROPERTY}"]),
        ]
        for kind in KINDS
    },
    # One mutant of the kinds' whole selection took 40 s and more on the shared
    # machine: this kind runs the reference check, the registry's checks of
    # every kind, its own unit tests and the rule cases that name it or its posts.
    "engine/rules/kinds/pengalaman_bidang.py": [
        *KIND_TESTS[:2],
        "tests/engine/rules/test_registry.py",
        "tests/engine/rules/kinds/test_pengalaman_bidang.py",
        "tests/rules/pengalaman-bidang.yaml",
        "tests/rules/jpt-pratama.yaml",
    ],
    # The rest of engine/rules/: each module's own unit tests first (hand-worked),
    # then the tests that load rules or run kinds on the way to a verdict.
    "engine/rules/kind.py": [
        "tests/engine/rules/test_kind.py",
        *KIND_TESTS,
        "tests/engine/rules/test_rules.py",
        f"--deselect={AGE_PROPERTY}",
    ],
    "engine/rules/registry.py": [*KIND_TESTS, f"--deselect={AGE_PROPERTY}"],
    # The schema check (rules.schema.json holds the bounds of a rule's fields)
    # and the rule loading; the two whole-round tests of test_rules.py (the talent
    # regimes of the demo) do not read the rule set's checks.
    "engine/rules/ruleset.py": [
        KIND_TESTS[0],
        "tests/engine/rules/test_rules.py",
        "tests/engine/rules/test_crossref.py",
        "tests/engine/rules/test_registry.py",
        "tests/rules",
        "--deselect=tests/engine/rules/test_rules.py::test_talent_box_follows_the_regime_of_the_scenario_date",
        "--deselect=tests/engine/rules/test_rules.py::test_the_plan_manifest_names_both_regimes",
    ],
    "engine/rules/crossref.py": [
        "tests/engine/rules/test_crossref.py",
        "tests/engine/test_check.py::test_a_rule_naming_a_unit_the_data_lacks_fails_the_check_of_its_scenario",
    ],
    "engine/rules/obligations.py": [
        "tests/engine/rules/test_obligations.py",
        "tests/engine/plan/test_obligations.py",
        "tests/rules",
    ],
    "solvers/validate.py": ["tests/solvers"],
    "solvers/auction.py": ["tests/solvers"],
    "solvers/flow.py": ["tests/solvers"],
}

# Operators left out, as regular expressions on cosmic-ray's names. What is
# kept is one natural neighbour per operator, as a reviewer would guess a
# slip: + and -, * and /, / and //, & and |, each comparison's boundary (<
# and <=, > and >=), == and !=, `is` and `is not`, `in` and `not in`, a sign
# or `~` dropped, `not` added, `and`/`or` swapped, True/False swapped, a
# number moved by one either way, a loop run zero times, an except widened.
# The full cross product (every operator for every other) is about three
# times as many mutants, nearly all caught by the same tests as these.
EXCLUDED: list[str] = [
    r"core/ReplaceBinaryOperator_(?!(Add_Sub|Sub_Add|Mul_Div|Div_Mul|Div_FloorDiv|FloorDiv_Div|BitAnd_BitOr|BitOr_BitAnd)$)",
    r"core/ReplaceComparisonOperator_(?!(Lt_LtE|LtE_Lt|Gt_GtE|GtE_Gt|Eq_NotEq|NotEq_Eq|Is_IsNot|IsNot_Is|In_NotIn|NotIn_In)$)",
    r"core/ReplaceUnaryOperator_(?!(Delete_USub|Delete_Invert|Delete_Not)$)",
    # Random variable names put in or swapped: not reproducible run to run.
    r"core/VariableInserter",
    r"core/VariableReplacer",
    # Dropping @dataclass or @property breaks every caller at import: caught
    # by any test, so it only inflates the score.
    r"core/RemoveDecorator",
]


def _copy_tree(dest: Path, rev: str | None) -> None:
    """Copy the work tree's files (tracked and new, not ignored) into ``dest``,
    or the files of commit ``rev`` (to measure a past state, e.g. "before")."""
    if rev:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", rev], cwd=ROOT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
        return
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for name in files:
        if not name:
            continue
        src = ROOT / name.decode()
        if src.is_file():
            target = dest / name.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)


def _config(module: str, tests: list[str], timeout: float) -> str:
    command = " ".join(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    )
    excluded = ",\n    ".join(json.dumps(e) for e in EXCLUDED)
    return (
        "[cosmic-ray]\n"
        f"module-path = {json.dumps(module)}\n"
        f"timeout = {timeout}\n"
        "excluded-modules = []\n"
        f"test-command = {json.dumps(command)}\n\n"
        "[cosmic-ray.distributor]\n"
        'name = "local"\n\n'
        "[cosmic-ray.filters.operators-filter]\n"
        f"exclude-operators = [\n    {excluded}\n]\n"
    )


def _tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def summarise(db: Path, module: str) -> dict[str, object]:
    """Counts and survivors of a finished session."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome

    counts: Counter[str] = Counter()
    survivors = []
    with use_db(str(db), WorkDB.Mode.open) as work_db:
        for item, result in work_db.completed_work_items:
            if result.worker_outcome == WorkerOutcome.SKIPPED:
                counts["excluded"] += 1
                continue
            if result.worker_outcome == WorkerOutcome.ABNORMAL:
                counts["timeout"] += 1  # a mutant that hangs is caught by the time limit
                continue
            outcome = str(result.test_outcome.value) if result.test_outcome else "error"
            counts[outcome] += 1
            if result.test_outcome == TestOutcome.SURVIVED:
                m = item.mutations[0]
                survivors.append(
                    {
                        "line": m.start_pos[0],
                        "operator": m.operator_name,
                        "occurrence": m.occurrence,
                        "diff": result.diff,
                    }
                )
    mutants = sum(v for k, v in counts.items() if k != "excluded")
    caught = mutants - counts["survived"]
    survivors.sort(key=lambda s: (s["line"], s["operator"], s["occurrence"]))
    return {
        "module": module,
        "mutants": mutants,
        "caught": caught,
        "score": round(100.0 * caught / mutants, 1) if mutants else None,
        "counts": dict(counts),
        "survivors": survivors,
    }


def _sample(db: Path, size: int, seed: int, rest: bool = False) -> tuple[int, int]:
    """Keep a seeded random ``size`` of the mutants still to run; drop the others.

    For a module too big to run whole in one sitting: the score of the sample
    estimates the module's. With ``rest``, keep the others instead: a run of
    the sample and a run of the rest together cover the module. The mutants
    are ordered by where they are and what they do (cosmic-ray's job ids are
    random at every init), so the same source gives the same sample.
    Returns (kept, of how many).
    """
    import random
    import sqlite3

    with sqlite3.connect(db) as con:
        pending = [
            row[0]
            for row in con.execute(
                "SELECT s.job_id FROM mutation_specs s WHERE s.job_id NOT IN"
                " (SELECT job_id FROM work_results)"
                " ORDER BY s.start_pos_row, s.start_pos_col, s.operator_name, s.occurrence"
            )
        ]
        chosen = set(random.Random(seed).sample(pending, min(size, len(pending))))
        keep = {job for job in pending if (job in chosen) != rest}
        dropped = [(job,) for job in pending if job not in keep]
        con.executemany("DELETE FROM mutation_specs WHERE job_id = ?", dropped)
        con.executemany("DELETE FROM work_items WHERE job_id = ?", dropped)
    return len(keep), len(pending)


def _reopen_survivors(db: Path) -> int:
    """Forget the results of the survivors in ``db`` so that exec runs them again."""
    import sqlite3

    with sqlite3.connect(db) as con:
        return con.execute("DELETE FROM work_results WHERE test_outcome = 'SURVIVED'").rowcount


def _stem(module: str, rev: str | None, sample: int | None, rest: bool) -> str:
    """The name of a session's files in .mutation/: module, commit, sample or its rest."""
    part = f".rest-of-sample{sample}" if rest else f".sample{sample}" if sample else ""
    return module.replace("/", ".").removesuffix(".py") + part + (f"@{rev}" if rev else "")


def run(
    module: str,
    tests: list[str],
    timeout: float,
    rev: str | None = None,
    recheck: Path | None = None,
    sample: int | None = None,
    rest: bool = False,
    resume: bool = False,
) -> dict[str, object]:
    OUT.mkdir(exist_ok=True)
    stem = _stem(module, rev, sample, rest)
    db = OUT / f"{stem}.sqlite"
    if resume:
        # An interrupted session keeps every result it has: run only the others.
        if not db.is_file():
            sys.exit(f"no session {db.name} in {OUT.name}/ to resume")
    else:
        db.unlink(missing_ok=True)
    if recheck:
        # A mutant the tests caught stays caught while tests are only added or
        # tightened and the module is unchanged: run only the survivors again.
        shutil.copy(recheck, db)
        print(f"rechecking {_reopen_survivors(db)} survivors of {recheck.name}")
    with tempfile.TemporaryDirectory(prefix="mutation-") as tmp:
        tree = Path(tmp)
        _copy_tree(tree, rev)
        # A test file that does not exist at that commit is left out: "before" is
        # measured with the tests that existed then.
        present = [t for t in tests if t.startswith("-") or (tree / t.split("::")[0]).exists()]
        print(f"tests: {' '.join(present)}")
        config = tree / "mutation.toml"
        config.write_text(_config(module, present, timeout))
        # The copy's engine/ and solvers/ come first on sys.path (pytest's
        # `pythonpath = ["."]`), ahead of the editable install of the tree.
        if not recheck and not resume:
            subprocess.run(
                [_tool("cosmic-ray"), "init", str(config), str(db)], cwd=tree, check=True
            )
            subprocess.run(
                [_tool("cr-filter-operators"), str(db), str(config)], cwd=tree, check=True
            )
            if sample:
                kept, total = _sample(db, sample, seed=21, rest=rest)
                which = "the rest of a sample" if rest else "a sample"
                print(f"{which} of {sample}: {kept} of {total} mutants (seed 21)")
        baseline = subprocess.run([_tool("cosmic-ray"), "baseline", str(config)], cwd=tree)
        if baseline.returncode != 0:
            sys.exit(f"the tests fail on the unmutated {module}: fix them first")
        subprocess.run([_tool("cosmic-ray"), "exec", str(config), str(db)], cwd=tree, check=True)
    summary = summarise(db, module)
    (OUT / f"{stem}.json").write_text(json.dumps(summary, indent=2))
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("module", nargs="?", help="a module path, e.g. engine/inputs/derive.py")
    parser.add_argument("--tests", nargs="+", help="test paths (default: the module's entry)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per mutant")
    parser.add_argument("--rev", help="measure the tree of this commit, not the work tree")
    parser.add_argument(
        "--recheck",
        type=Path,
        help="a finished session of the same module: run only its survivors on this tree",
    )
    parser.add_argument(
        "--sample", type=int, help="run a seeded random sample of this many mutants only"
    )
    parser.add_argument(
        "--rest-of-sample",
        type=int,
        metavar="N",
        help="run the mutants outside the seeded sample of N (with --sample N: the whole module)",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="go on with an interrupted session (same module, --rev, --sample): "
        "run only the mutants it has not run",
    )
    parser.add_argument("--list", action="store_true", help="list the configured modules")
    parser.add_argument("--report", action="store_true", help="summarise the last run only")
    args = parser.parse_args(argv)
    if args.list or not args.module:
        for module, tests in TESTS.items():
            print(f"{module}: {' '.join(tests)}")
        return 0
    module = args.module
    if not (ROOT / module).is_file():
        parser.error(f"no module {module}")
    tests = args.tests or TESTS.get(module)
    if not tests:
        parser.error(f"{module} has no test selection in TESTS: pass --tests")
    if args.report:
        stem = _stem(
            module, args.rev, args.sample or args.rest_of_sample, bool(args.rest_of_sample)
        )
        summary = summarise(OUT / f"{stem}.sqlite", module)
    else:
        sample, rest = args.sample, False
        if args.rest_of_sample:
            if args.sample:
                parser.error("--sample and --rest-of-sample: give one")
            sample, rest = args.rest_of_sample, True
        if args.resume and args.recheck:
            parser.error("--resume and --recheck: give one")
        summary = run(
            module, tests, args.timeout, args.rev, args.recheck, sample, rest, args.resume
        )
    print(
        f"\n{module}: {summary['mutants']} mutants, {summary['caught']} caught ({summary['score']} %)"
    )
    print(f"tests: {' '.join(tests)}; outcomes: {summary['counts']}")
    for s in summary["survivors"]:
        print(f"\n--- survived: line {s['line']} {s['operator']} #{s['occurrence']}")
        print(s["diff"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
