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
use std::io::{BufWriter, ErrorKind, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` as the module describes.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    write_file_with(path, |w| Ok(w.write_all(bytes)?))
}

/// Writes to `path` what `write` writes, as the module describes, without holding it
/// all: for a regular file `write` is given the (buffered) temporary file, and when it
/// fails the temporary file is removed and the file named is left as it was. A device
/// or FIFO is written as `write` goes.
pub fn write_file_with<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == ErrorKind::NotFound => replace_atomically(path, None, write),
        Err(e) => Err(e).with_context(|| format!("cannot write {}", path.display())),
        Ok(m) if m.file_type().is_symlink() => {
            // Follow it: the file (or device) it names is what the person means.
            let target = fs::metadata(path)
                .map_err(|e| anyhow!("cannot write {}: it is a symbolic link to something that cannot be opened ({e})", path.display()))?;
            if target.is_file() {
                let real = fs::canonicalize(path)
                    .with_context(|| format!("cannot resolve the link {}", path.display()))?;
                replace_atomically(&real, Some(target.permissions()), write)
            } else {
                write_special(path, &target, write)
            }
        }
        Ok(m) if m.is_file() => replace_atomically(path, Some(m.permissions()), write),
        Ok(m) => write_special(path, &m, write),
    }
}

/// A character device or FIFO is written through; anything else that is not a file is refused.
fn write_special<T>(
    path: &Path,
    m: &fs::Metadata,
    write: impl FnOnce(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    use std::os::unix::fs::FileTypeExt;
    let t = m.file_type();
    if t.is_char_device() || t.is_fifo() {
        let f = OpenOptions::new()
            .write(true)
            .open(path)
            .with_context(|| format!("cannot open {} for writing", path.display()))?;
        let mut out = BufWriter::new(f);
        let value = write(&mut out).with_context(|| format!("cannot write {}", path.display()))?;
        out.flush()
            .with_context(|| format!("cannot write {}", path.display()))?;
        return Ok(value);
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
fn replace_atomically<T>(
    path: &Path,
    keep: Option<Permissions>,
    write: impl FnOnce(&mut dyn Write) -> Result<T>,
) -> Result<T> {
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
    // On any error `tmp` is dropped, which removes the temporary file.
    let mut out = BufWriter::with_capacity(256 * 1024, tmp.as_file_mut());
    let value = write(&mut out).with_context(|| format!("cannot write {}", path.display()))?;
    out.into_inner()
        .map_err(|e| e.into_error())
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| anyhow!("cannot write {}: {}", path.display(), e.error))?;
    // The rename is durable once the folder is on disk too; not every file system allows it.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(value)
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
    fn a_write_that_fails_mid_way_leaves_the_old_file_and_no_temporary_one() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("framework.json");
        fs::write(&old, "old").unwrap();
        let new = dir.path().join("new.json");
        for path in [&old, &new] {
            let err = write_file_with(path, |w| -> Result<()> {
                w.write_all(&[b'x'; 1 << 20])?;
                bail!("the workshop could not be read")
            })
            .unwrap_err();
            assert!(format!("{err:#}").contains("could not be read"), "{err:#}");
        }
        assert_eq!(fs::read(&old).unwrap(), b"old");
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["framework.json"], "nothing else left behind");
        let n = write_file_with(&new, |w| {
            w.write_all(b"streamed")?;
            Ok(8)
        })
        .unwrap();
        assert_eq!((n, fs::read(&new).unwrap()), (8, b"streamed".to_vec()));
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
