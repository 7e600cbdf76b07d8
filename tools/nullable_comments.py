#!/usr/bin/env python3
"""Turns the old `/* @Nullable */` comments into JSpecify `@Nullable` type annotations, and adds the import.

    python3 tools/nullable_comments.py [DIR_OR_FILE ...]      (default: the whole repository)

Idempotent: a file with no such comment is left alone (but gets the import back if it uses @Nullable
without it, as a merge can leave it), so run it again after merging a branch that
still writes the comments. JSpecify's @Nullable is a TYPE_USE annotation, so it must sit right before
the simple name of the type it qualifies:

    /* @Nullable */ String s             ->  @Nullable String s
    /* @Nullable */ Outer.Inner x        ->  Outer.@Nullable Inner x
    Outer./* @Nullable */ Inner x        ->  Outer.@Nullable Inner x
    /* @Nullable */ java.time.Instant t  ->  java.time.@Nullable Instant t
    /* @Nullable */ byte[] body          ->  byte @Nullable [] body     (the array may be null)
    String /* @Nullable */ [] a          ->  String @Nullable [] a
    List</* @Nullable */ T>              ->  List<@Nullable T>

Prints each file it changes; exits 0. NullAway (run by the build) then reports what does not hold.
"""
import os
import re
import sys

COMMENT = re.compile(r"/\*\s*@Nullable\s*\*/[ \t]*")
IMPORT = "import org.jspecify.annotations.Nullable;"
MODIFIERS = {"final", "static", "volatile", "transient", "private", "protected", "public", "abstract", "synchronized"}


def skip_generics(text, i):
    """Index just past a balanced <...> starting at text[i] == '<'."""
    depth = 0
    while i < len(text):
        if text[i] == "<":
            depth += 1
        elif text[i] == ">":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def annotate(text, start, end):
    """Replacement for the comment text[start:end]: where @Nullable goes in the type that follows."""
    if start > 0 and text[start - 1] == ".":  # Outer./* @Nullable */ Inner
        return None, "@Nullable "
    rest = text[end:]
    if rest.startswith("["):  # String /* @Nullable */ []
        return None, "@Nullable "
    m = re.match(r"[A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*", rest)
    if not m or m.group(0) in MODIFIERS:
        return None, "@Nullable "
    name = m.group(0)
    after = m.end()
    if after < len(rest) and rest[after] == "<":
        after = skip_generics(rest, after)
    array = re.match(r"\s*\[", rest[after:])
    dot = name.rfind(".")
    if array:  # the array reference is what may be null: T @Nullable []
        return after, rest[:after] + " @Nullable "
    if dot >= 0:  # a.b.Type / Outer.Inner: the annotation goes before the simple name
        return len(name), name[: dot + 1] + "@Nullable " + name[dot + 1 :]
    return None, "@Nullable "


def in_comment_or_string(text, pos):
    line_start = text.rfind("\n", 0, pos) + 1
    line = text[line_start:pos]
    stripped = line.lstrip()
    return stripped.startswith("*") or stripped.startswith("//") or "//" in line or line.count('"') % 2 == 1


def convert(text):
    out = []
    i = 0
    changed = False
    for m in COMMENT.finditer(text):
        if m.start() < i or in_comment_or_string(text, m.start()):
            continue
        consumed, replacement = annotate(text, m.start(), m.end())
        out.append(text[i : m.start()])
        out.append(replacement)
        i = m.end() + (consumed or 0)
        changed = True
    if not changed:
        # A merge can keep the annotations and drop the import: add it back.
        uses = re.search(r"^(?!\s*(\*|//)).*@Nullable\b", text, re.M)
        return add_import(text) if uses and "org.jspecify.annotations" not in text else text
    out.append(text[i:])
    return add_import("".join(out))


def add_import(text):
    if IMPORT in text:
        return text
    lines = text.split("\n")
    imports = [n for n, l in enumerate(lines) if l.startswith("import ") and not l.startswith("import static ")]
    if imports:
        block = imports
        at = next((n for n in block if lines[n] > IMPORT), None)
        if at is None:
            at = block[-1] + 1
        lines.insert(at, IMPORT)
    else:
        pkg = next(n for n, l in enumerate(lines) if l.startswith("package "))
        lines[pkg + 1 : pkg + 1] = ["", IMPORT]
    return "\n".join(lines)


def java_files(paths):
    for path in paths:
        if os.path.isfile(path):
            yield path
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if d not in ("target", ".git", "node_modules")]
            for f in files:
                if f.endswith(".java"):
                    yield os.path.join(root, f)


def main(argv):
    paths = argv or [os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")]
    for path in java_files(paths):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        new = convert(text)
        if new != text:
            with open(path, "w", encoding="utf-8") as f:
                f.write(new)
            print(os.path.relpath(path))


if __name__ == "__main__":
    main(sys.argv[1:])
