//! Checks against every bundled state-test fixture: the files parse, the number of cases per
//! fork and per set matches `shared/fixtures/SOURCES.md`, and every expected post-state given
//! hashes to its entry's state root.

use std::{
    collections::BTreeMap,
    path::Path,
    sync::{
        OnceLock,
        atomic::{AtomicUsize, Ordering},
    },
    thread,
    time::Instant,
};

use lamina_primitives::{B256, Bytes, Log, LogData, address, bytes};
use lamina_statetest_types::{StateTest, fixtures, logs_hash, state_root};

/// Per set: JSON files, tests, cases (SOURCES.md).
const SETS: [(&str, usize, usize, usize); 7] = [
    ("develop", 2488, 3705, 19699),
    ("legacy-cancun", 2578, 3848, 94753),
    ("legacy-constantinople", 2202, 2202, 29887),
    ("eest-prague-osaka", 136, 4177, 4177),
    ("eest-cancun", 54, 2640, 2640),
    ("eest-frontier-shanghai", 49, 3891, 3891),
    ("eest-static", 2232, 19000, 19000),
];

/// Cases per fork over all sets (SOURCES.md).
const FORKS: [(&str, usize); 15] = [
    ("Frontier", 1204),
    ("Homestead", 2238),
    ("EIP150", 1249),
    ("EIP158", 1373),
    ("Byzantium", 4991),
    ("Constantinople", 10518),
    ("ConstantinopleFix", 10700),
    ("Istanbul", 11888),
    ("Berlin", 13189),
    ("London", 17372),
    ("Paris", 17691),
    ("Shanghai", 18110),
    ("Cancun", 44989),
    ("Prague", 8962),
    ("Osaka", 9573),
];

/// What one pass over the corpus found; every test below reads a part of it.
#[derive(Default)]
struct Summary {
    /// Set → (files, tests, cases).
    per_set: BTreeMap<String, (usize, usize, usize)>,
    per_fork: BTreeMap<String, usize>,
    /// Failures: unparsable files, unknown fork names, out-of-range indexes.
    errors: Vec<String>,
    /// Post entries that carry a full expected state, and those whose root differed.
    states: usize,
    state_mismatches: Vec<String>,
    /// Execution-spec-tests cases, each of which should carry a state.
    eest_cases: usize,
}

impl Summary {
    fn merge(&mut self, other: Summary) {
        for (set, (files, tests, cases)) in other.per_set {
            let entry = self.per_set.entry(set).or_default();
            entry.0 += files;
            entry.1 += tests;
            entry.2 += cases;
        }
        for (fork, cases) in other.per_fork {
            *self.per_fork.entry(fork).or_default() += cases;
        }
        self.errors.extend(other.errors);
        self.states += other.states;
        self.state_mismatches.extend(other.state_mismatches);
        self.eest_cases += other.eest_cases;
    }

    fn add_file(&mut self, root: &Path, path: &Path) {
        let set = path
            .strip_prefix(root)
            .ok()
            .and_then(|rel| rel.components().next())
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        let file = match fixtures::load(path) {
            Ok(file) => file,
            Err(err) => {
                self.errors.push(err.to_string());
                return;
            }
        };
        let counts = self.per_set.entry(set.clone()).or_default();
        counts.0 += 1;
        counts.1 += file.len();
        for (name, test) in &file {
            self.add_test(&set, &format!("{}::{name}", path.display()), test);
        }
    }

    fn add_test(&mut self, set: &str, name: &str, test: &StateTest) {
        for (index, case) in test.cases().enumerate() {
            let id = format!("{name} {} #{index}", case.fork);
            self.per_set.get_mut(set).expect("set counted").2 += 1;
            *self.per_fork.entry(case.fork.to_owned()).or_default() += 1;
            if case.spec().is_err() {
                self.errors.push(format!("{id}: unknown fork"));
            }
            if test.transaction.select(&case.entry.indexes).is_none() {
                self.errors.push(format!("{id}: indexes {:?} out of range", case.entry.indexes));
            }
            if set.starts_with("eest-") {
                self.eest_cases += 1;
            }
            if let Some(state) = &case.entry.state {
                self.states += 1;
                let root =
                    state_root(state.iter().map(|(address, account)| (*address, account.into())));
                if root != case.entry.hash {
                    self.state_mismatches.push(format!("{id}: {root} != {}", case.entry.hash));
                }
            }
        }
    }
}

fn summary() -> &'static Summary {
    static SUMMARY: OnceLock<Result<Summary, String>> = OnceLock::new();
    SUMMARY.get_or_init(scan).as_ref().unwrap_or_else(|err| panic!("{err}"))
}

fn scan() -> Result<Summary, String> {
    let started = Instant::now();
    let root = fixtures::ensure_unpacked()?;
    let files = fixtures::json_files(&root);
    if files.is_empty() {
        return Err(format!("no fixture files under {}", root.display()));
    }
    // Parsing 400 MiB of JSON dominates; spread the files over the cores.
    let next = AtomicUsize::new(0);
    let workers = thread::available_parallelism().map_or(1, |n| n.get());
    let summary = thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut part = Summary::default();
                    while let Some(path) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                        part.add_file(&root, path);
                    }
                    part
                })
            })
            .collect();
        let mut summary = Summary::default();
        for handle in handles {
            summary.merge(handle.join().expect("worker panicked"));
        }
        summary
    });
    eprintln!(
        "scanned {} files ({} cases, {} expected post-states) in {:.1?} on {workers} threads",
        files.len(),
        summary.per_fork.values().sum::<usize>(),
        summary.states,
        started.elapsed()
    );
    Ok(summary)
}

fn first_errors(errors: &[String]) -> String {
    errors.iter().take(10).cloned().collect::<Vec<_>>().join("\n")
}

#[test]
fn every_fixture_file_parses() {
    let summary = summary();
    assert!(
        summary.errors.is_empty(),
        "{} errors, first:\n{}",
        summary.errors.len(),
        first_errors(&summary.errors)
    );
    let files: BTreeMap<&str, usize> =
        summary.per_set.iter().map(|(set, counts)| (set.as_str(), counts.0)).collect();
    let expected: BTreeMap<&str, usize> =
        SETS.iter().map(|(set, files, ..)| (*set, *files)).collect();
    assert_eq!(files, expected);
    assert_eq!(files.values().sum::<usize>(), 9739);
    assert_eq!(fixtures::SETS.len(), SETS.len());
}

#[test]
fn cases_per_fork_and_set_match_sources() {
    let summary = summary();
    let per_fork: BTreeMap<&str, usize> =
        summary.per_fork.iter().map(|(fork, cases)| (fork.as_str(), *cases)).collect();
    assert_eq!(per_fork, BTreeMap::from(FORKS));
    assert_eq!(per_fork.values().sum::<usize>(), 174_047);
    let per_set: BTreeMap<&str, (usize, usize)> =
        summary.per_set.iter().map(|(set, counts)| (set.as_str(), (counts.1, counts.2))).collect();
    let expected: BTreeMap<&str, (usize, usize)> =
        SETS.iter().map(|(set, _, tests, cases)| (*set, (*tests, *cases))).collect();
    assert_eq!(per_set, expected);
}

#[test]
fn expected_post_states_hash_to_their_roots() {
    let summary = summary();
    assert!(
        summary.state_mismatches.is_empty(),
        "{} of {} post-states differ, first:\n{}",
        summary.state_mismatches.len(),
        summary.states,
        first_errors(&summary.state_mismatches)
    );
    // Every execution-spec-tests case carries its post-state, and only those do.
    assert_eq!(summary.states, summary.eest_cases);
    assert_eq!(summary.states, 29_708);
}

/// `develop/stLogTests/log1_nonEmptyMem.json`: the transaction calls a contract whose code is
/// `PUSH32 0xff…ff; PUSH1 0; MSTORE; PUSH1 0; PUSH1 0x20; PUSH1 0; LOG1; STOP`, so it emits one
/// log: topic 0, the 32 bytes 0xff. Its `logs` value must be the hash of exactly that log.
#[test]
fn logs_hash_of_a_fixture_log() {
    let root = fixtures::ensure_unpacked().unwrap();
    let path = root.join("develop/stLogTests/log1_nonEmptyMem.json");
    let file = fixtures::load(&path).unwrap();
    let test = &file["log1_nonEmptyMem"];
    let emitter = address!("0f572e5295c57f15886f9b263e2f6d2d6c7b5ec6");
    assert_eq!(
        test.pre[&emitter].code,
        bytes!(
            "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff600052600060206000a100"
        )
    );
    let data = Bytes::from(vec![0xff; 32]);
    let log = Log { address: emitter, data: LogData::new_unchecked(vec![B256::ZERO], data) };
    let [entry] = test.post["Cancun"].as_slice() else { panic!("one Cancun entry expected") };
    assert_eq!(logs_hash(&[log]), entry.logs);
    assert_ne!(entry.logs, logs_hash(&[]));
}

#[test]
fn json_files_takes_only_json() {
    let root = fixtures::ensure_unpacked().unwrap();
    let dir = root.join("develop/stShift");
    assert!(dir.join(".stub").is_file());
    let files = fixtures::json_files(&dir);
    assert!(!files.is_empty());
    assert!(files.iter().all(|path| path.extension().is_some_and(|e| e == "json")));
    assert!(files.is_sorted());
    assert!(fixtures::json_files(&root.join("no-such-set")).is_empty());
}
