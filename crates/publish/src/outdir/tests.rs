use std::fs;
use std::path::Path;

use super::*;

fn staged(out: &Path, command: &'static str, replace: Replace, files: &[(&str, &str)]) -> Result<(), Error> {
    let staging = Staging::begin(out, command, replace, &[])?;
    for (rel, text) in files {
        let path = staging.path().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        fs::write(path, text).expect("write");
    }
    staging.commit()
}

fn message(r: Result<(), Error>) -> String {
    match r {
        Ok(()) => panic!("expected a refusal"),
        Err(e) => e.to_string(),
    }
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        fs::read_dir(dir).expect("dir").map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn a_new_folder_gets_the_files_and_a_manifest_of_them() {
    let tmp = tempfile::tempdir().expect("temp");
    let out = tmp.path().join("site");
    staged(&out, "import", Replace::WhenForced(false), &[("index.json", "{}"), ("articles/a.json", "a")])
        .expect("import");
    let manifest = read_manifest(&out).expect("read").expect("a manifest");
    assert_eq!(manifest.command, "import");
    let paths: Vec<&str> = manifest.files.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["articles/a.json", "index.json"]);
    assert_eq!(manifest.files[0].bytes, 1);
    assert_eq!(names(tmp.path()), ["site"], "no staging folder is left beside it");
    assert!(!out.join(STAGING_MARKER).exists());
}

#[test]
fn a_folder_the_program_did_not_write_is_never_replaced() {
    let tmp = tempfile::tempdir().expect("temp");
    let out = tmp.path().join("project");
    fs::create_dir_all(out.join("src")).expect("dir");
    // A project folder that happens to have an index.json: the old proof of "an import wrote it".
    fs::write(out.join("index.json"), r#"{"articles":[]}"#).expect("write");
    fs::write(out.join("src/notes.md"), "my notes").expect("write");
    for replace in [Replace::WhenForced(true), Replace::Always] {
        let m = message(staged(&out, "import", replace, &[("index.json", "{}")]));
        assert!(m.contains("not written by `import`") && m.contains("choose a new or empty folder"), "{m}");
    }
    assert_eq!(fs::read_to_string(out.join("src/notes.md")).expect("kept"), "my notes");
    assert_eq!(names(tmp.path()), ["project"], "nothing staged is left behind");
}

#[test]
fn an_own_folder_is_replaced_only_unchanged_and_only_as_asked() {
    let tmp = tempfile::tempdir().expect("temp");
    let out = tmp.path().join("site");
    staged(&out, "import", Replace::WhenForced(false), &[("index.json", "one")]).expect("first");
    let m = message(staged(&out, "import", Replace::WhenForced(false), &[("index.json", "two")]));
    assert!(m.contains("give --force"), "{m}");
    staged(&out, "import", Replace::WhenForced(true), &[("index.json", "two")]).expect("forced");
    assert_eq!(fs::read_to_string(out.join("index.json")).expect("read"), "two");

    // A file added by hand, or one edited since, keeps the folder from being replaced.
    fs::write(out.join("mine.txt"), "keep").expect("write");
    let m = message(staged(&out, "import", Replace::WhenForced(true), &[("index.json", "three")]));
    assert!(m.contains("mine.txt is not written by `import` or changed since"), "{m}");
    fs::remove_file(out.join("mine.txt")).expect("rm");
    fs::write(out.join("index.json"), "edited").expect("write");
    let m = message(staged(&out, "import", Replace::WhenForced(true), &[("index.json", "three")]));
    assert!(m.contains("index.json is not written"), "{m}");
    assert_eq!(fs::read_to_string(out.join("index.json")).expect("read"), "edited");

    // Another command's output is not this one's to replace.
    let m = message(staged(&out, "index", Replace::Always, &[("index.json", "x")]));
    assert!(m.contains("written by `import`, not `index`"), "{m}");
}

#[test]
fn a_symbolic_link_in_the_folder_is_not_the_programs() {
    let tmp = tempfile::tempdir().expect("temp");
    let out = tmp.path().join("site");
    staged(&out, "index", Replace::Always, &[("index.json", "one")]).expect("first");
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir(&elsewhere).expect("dir");
    fs::write(elsewhere.join("precious"), "x").expect("write");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&elsewhere, out.join("link")).expect("link");
        let m = message(staged(&out, "index", Replace::Always, &[("index.json", "two")]));
        assert!(m.contains("link is not written"), "{m}");
        assert!(elsewhere.join("precious").exists());
    }
}

#[test]
fn the_output_may_not_hold_nor_sit_inside_an_input() {
    let tmp = tempfile::tempdir().expect("temp");
    let content = tmp.path().join("content");
    fs::create_dir_all(content.join("articles")).expect("dir");
    let collection = content.join("index.json");
    fs::write(&collection, "{}").expect("write");
    let articles_out = content.join("articles/out");
    let dotdot = content.join("articles/../articles");
    let cases: [(&Path, &Path, &str); 4] = [
        (&content, &collection, "contains"),
        (tmp.path(), &collection, "contains"),
        (&articles_out, &content, "lies inside"),
        (&dotdot, &content, "lies inside"),
    ];
    for (out, input, problem) in cases {
        let m = message(Staging::begin(out, "index", Replace::Always, &[("the collection", input)]).map(|_| ()));
        assert!(m.contains(problem), "{}: {m}", out.display());
    }
    assert!(keep_apart(("--dist", &tmp.path().join("dist")), &[("--content", &content)]).is_ok());
    let m = message(keep_apart(("--dist", &content), &[("--content", &content.join("."))]));
    assert!(m.contains("is the same as"), "{m}");
    assert!(collection.exists() && content.join("articles").exists(), "nothing was touched");
}

#[test]
fn what_a_killed_run_left_is_cleaned_up_by_the_next() {
    let tmp = tempfile::tempdir().expect("temp");
    let out = tmp.path().join("site");
    // A staging folder of a process that no longer runs (pid 0 is never a user process).
    let dead = tmp.path().join(".site.import-0");
    fs::create_dir(&dead).expect("dir");
    fs::write(dead.join(STAGING_MARKER), r#"{"tool":"article-viewer-cli","command":"import","pid":0}"#).expect("write");
    fs::write(dead.join("index.json"), "half").expect("write");
    // A folder with the same kind of name that is not the program's is left alone.
    let lookalike = tmp.path().join(".site.import-1");
    fs::create_dir(&lookalike).expect("dir");
    fs::write(lookalike.join("mine"), "x").expect("write");
    // A staging folder of a process that is running (this one's parent) is left alone too.
    let live = tmp.path().join(format!(".site.import-{}", std::os::unix::process::parent_id()));
    fs::create_dir(&live).expect("dir");
    fs::write(live.join(STAGING_MARKER), r#"{"tool":"article-viewer-cli","command":"import","pid":1}"#).expect("write");
    staged(&out, "import", Replace::WhenForced(false), &[("index.json", "{}")]).expect("import");
    assert!(!dead.exists(), "the dead run's staging folder is removed");
    assert!(lookalike.join("mine").exists() && live.exists());
}

#[test]
fn an_output_moved_aside_by_a_killed_swap_is_put_back() {
    let tmp = tempfile::tempdir().expect("temp");
    let out = tmp.path().join("site");
    staged(&out, "import", Replace::WhenForced(false), &[("index.json", "one")]).expect("first");
    // Killed between moving the old output aside and moving the new one in.
    let aside = tmp.path().join(".site.old-0");
    fs::rename(&out, &aside).expect("aside");
    let m = message(staged(&out, "import", Replace::WhenForced(false), &[("index.json", "two")]));
    assert!(m.contains("give --force"), "the earlier output is back in place first: {m}");
    assert_eq!(fs::read_to_string(out.join("index.json")).expect("read"), "one");
    assert!(!aside.exists());
}

#[test]
fn a_manifest_from_elsewhere_or_garbled_proves_nothing() {
    let tmp = tempfile::tempdir().expect("temp");
    let out = tmp.path().join("site");
    fs::create_dir(&out).expect("dir");
    fs::write(out.join("a.txt"), "x").expect("write");
    for text in ["not json", r#"{"tool":"other","version":"1","command":"import","files":[]}"#] {
        fs::write(out.join(MARKER), text).expect("write");
        let m = message(staged(&out, "import", Replace::WhenForced(true), &[]));
        assert!(m.contains("was not written by `import`"), "{m}");
    }
    // A manifest that lists the file with another size or hash does not cover it.
    let forged = r#"{"tool":"article-viewer-cli","version":"0","command":"import","files":[{"path":"a.txt","bytes":1,"fnv64":"0000000000000000"}]}"#;
    fs::write(out.join(MARKER), forged).expect("write");
    let m = message(staged(&out, "import", Replace::WhenForced(true), &[]));
    assert!(m.contains("a.txt is not written"), "{m}");
    assert!(out.join("a.txt").exists());
}
