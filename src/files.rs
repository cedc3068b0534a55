//! Writing what crosswalk produces (exports, reports) to the path a person named.
//!
//! - A **regular file** (new or existing) is written to a temporary file beside it,
//!   flushed to disk, and renamed over it, so a reader never sees half a file and a
//!   crash leaves the old one. A new file gets the usual mode (0666 less the umask);
//!   an existing one keeps its mode.
//! - A **symbolic link** is not replaced: what it points to is written, by these rules.
//! - A **character device or FIFO** (`/dev/stdout`, `/dev/full`, a named pipe) is written
//!   through, never replaced: renaming over `/dev/full` would swap a device node for a
//!   file. Its errors (a full device) are reported.
//! - Anything else (a folder, a block device, a socket) is refused with the reason.
use anyhow::{Context, Result, anyhow, bail};
use std::fs::{self, File, OpenOptions, Permissions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` as the module describes.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == ErrorKind::NotFound => replace_atomically(path, None, bytes),
        Err(e) => Err(e).with_context(|| format!("cannot write {}", path.display())),
        Ok(m) if m.file_type().is_symlink() => {
            // Follow it: the file (or device) it names is what the person means.
            let target = fs::metadata(path)
                .map_err(|e| anyhow!("cannot write {}: it is a symbolic link to something that cannot be opened ({e})", path.display()))?;
            if target.is_file() {
                let real = fs::canonicalize(path)
                    .with_context(|| format!("cannot resolve the link {}", path.display()))?;
                replace_atomically(&real, Some(target.permissions()), bytes)
            } else {
                write_special(path, &target, bytes)
            }
        }
        Ok(m) if m.is_file() => replace_atomically(path, Some(m.permissions()), bytes),
        Ok(m) => write_special(path, &m, bytes),
    }
}

/// A character device or FIFO is written through; anything else that is not a file is refused.
fn write_special(path: &Path, m: &fs::Metadata, bytes: &[u8]) -> Result<()> {
    use std::os::unix::fs::FileTypeExt;
    let t = m.file_type();
    if t.is_char_device() || t.is_fifo() {
        let mut f = OpenOptions::new()
            .write(true)
            .open(path)
            .with_context(|| format!("cannot open {} for writing", path.display()))?;
        return f
            .write_all(bytes)
            .and_then(|_| f.flush())
            .with_context(|| format!("cannot write {}", path.display()));
    }
    let what = if t.is_dir() {
        "a folder"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    };
    bail!(
        "cannot write {}: it is {what}; name a file (or `-` for standard output)",
        path.display()
    )
}

/// Temporary file beside `path`, fsync, rename into place, fsync the folder.
fn replace_atomically(path: &Path, keep: Option<Permissions>, bytes: &[u8]) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder_of(path);
    // The mode asked for at creation is narrowed by the umask, as for any new file.
    let mut tmp = tempfile::Builder::new()
        .prefix(".crosswalk-")
        .permissions(Permissions::from_mode(0o666))
        .tempfile_in(&dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    if let Some(mode) = keep {
        fs::set_permissions(tmp.path(), mode)
            .with_context(|| format!("cannot keep the mode of {}", path.display()))?;
    }
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| anyhow!("cannot write {}: {}", path.display(), e.error))?;
    // The rename is durable once the folder is on disk too; not every file system allows it.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn an_existing_file_keeps_its_mode_and_a_new_one_is_not_private() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old.json");
        fs::write(&old, "x").unwrap();
        fs::set_permissions(&old, Permissions::from_mode(0o640)).unwrap();
        write_file(&old, b"new").unwrap();
        assert_eq!(fs::read(&old).unwrap(), b"new");
        assert_eq!(mode(&old), 0o640);
        let new = dir.path().join("new.json");
        write_file(&new, b"y").unwrap();
        // 0666 less the umask (Linux shows it in /proc/self/status), not tempfile's 0600.
        let status = fs::read_to_string("/proc/self/status").unwrap();
        let umask = status
            .lines()
            .find_map(|l| l.strip_prefix("Umask:"))
            .map(|m| u32::from_str_radix(m.trim(), 8).unwrap())
            .unwrap();
        assert_eq!(mode(&new), 0o666 & !umask);
    }

    #[test]
    fn a_symlink_is_kept_and_its_target_written() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.csv");
        fs::write(&target, "old").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_file(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&target).unwrap(), b"new");
    }

    #[test]
    fn devices_and_fifos_are_written_through_and_folders_refused() {
        let err = write_file(Path::new("/dev/full"), b"x").unwrap_err();
        assert!(format!("{err:#}").contains("/dev/full"), "{err:#}");
        assert!(
            fs::metadata("/dev/full")
                .map(|m| {
                    use std::os::unix::fs::FileTypeExt;
                    m.file_type().is_char_device()
                })
                .unwrap()
        );
        write_file(Path::new("/dev/null"), b"x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let err = write_file(dir.path(), b"x").unwrap_err().to_string();
        assert!(err.contains("it is a folder"), "{err}");
    }
}
