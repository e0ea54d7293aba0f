//! Finding, unpacking and reading the state-test fixtures bundled with the workspace.
//!
//! The archives live in `shared/fixtures/` next to the workspace; [`ensure_unpacked`] extracts
//! them once into `target/fixtures/state/<set>/`.

use std::{
    fs::{self, OpenOptions},
    io,
    path::{Path, PathBuf},
    process::Command,
};

use crate::TestFile;

/// The fixture sets, each unpacked to `state/<set>/`.
pub const SETS: [&str; 7] = [
    "develop",
    "legacy-cancun",
    "legacy-constantinople",
    "eest-prague-osaka",
    "eest-cancun",
    "eest-frontier-shanghai",
    "eest-static",
];

fn workspace_root() -> &'static Path {
    // `crates/statetest-types` → the workspace; a path fixed at build time on purpose, so the
    // fixtures land in the workspace's `target/` whatever the working directory.
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).expect("crate sits two levels deep")
}

fn unpack_script() -> PathBuf {
    workspace_root().parent().expect("workspace has a parent").join("shared/fixtures/unpack")
}

fn all_unpacked(state: &Path) -> bool {
    // The unpack script writes a set's marker only after the set is completely in place.
    SETS.iter()
        .all(|set| state.join(format!(".unpacked-{set}")).is_file() && state.join(set).is_dir())
}

/// Makes sure every fixture set is unpacked and returns the folder holding them
/// (`<workspace>/target/fixtures/state`).
///
/// Safe to call from several threads and processes at once: unpacking runs under an exclusive
/// lock on `target/fixtures/.unpack.lock`. Fails if the sets are not unpacked yet and the shared
/// fixtures folder is missing, or if unpacking fails.
pub fn ensure_unpacked() -> Result<PathBuf, String> {
    let dest = workspace_root().join("target/fixtures");
    let state = dest.join("state");
    if all_unpacked(&state) {
        return Ok(state);
    }
    let script = unpack_script();
    if !script.is_file() {
        return Err(format!("fixture archives not found: {} is missing", script.display()));
    }
    fs::create_dir_all(&dest).map_err(|e| format!("creating {}: {e}", dest.display()))?;
    let lock_path = dest.join(".unpack.lock");
    // An OS file lock rather than a marker file: it dies with its holder, so a test process that
    // is killed mid-unpack cannot leave the others waiting forever.
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| format!("opening {}: {e}", lock_path.display()))?;
    lock.lock().map_err(|e| format!("locking {}: {e}", lock_path.display()))?;
    // Whoever held the lock before may have done the work already.
    if !all_unpacked(&state) {
        let output = Command::new(&script)
            .arg(&dest)
            .output()
            .map_err(|e| format!("running {}: {e}", script.display()))?;
        if !output.status.success() {
            return Err(format!(
                "{} {} failed ({}): {}",
                script.display(),
                dest.display(),
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        if !all_unpacked(&state) {
            return Err(format!("{} did not unpack every set of {SETS:?}", script.display()));
        }
    }
    Ok(state)
}

/// Every `*.json` file under `dir`, recursively, sorted. Unreadable or missing folders
/// contribute nothing, so callers should check that the result is not empty.
pub fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => pending.push(path),
                Ok(kind) if kind.is_file() && path.extension().is_some_and(|e| e == "json") => {
                    files.push(path)
                }
                _ => {}
            }
        }
    }
    files.sort();
    files
}

/// Why [`load`] failed.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// The file is not a valid state-test file.
    #[error("{}: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// The cause, with line and column.
        source: serde_json::Error,
    },
}

/// Reads and parses one state-test file.
pub fn load(path: &Path) -> Result<TestFile, LoadError> {
    let bytes = fs::read(path).map_err(|source| LoadError::Io { path: path.to_owned(), source })?;
    serde_json::from_slice(&bytes)
        .map_err(|source| LoadError::Json { path: path.to_owned(), source })
}
