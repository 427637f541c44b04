"""Loading a courses folder into a `Library`: every file read, checked, rendered and linked.

`load_library` never raises for bad content. Each course is loaded in phases:
read and parse every file, give everything its id (checking uniqueness), render
every body through the course's link resolver (unchanged text is not rendered
again when the same `Renderer` is reused), check links, anchors, images and
audiences, then build the immutable objects when nothing is wrong, and warn about
lesson links that some of the lesson's readers cannot follow (`audiencelinks`).
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from induction.content import tree
from induction.content.audiencelinks import audience_link_problems
from induction.content.blocks import render_lesson
from induction.content.document import Document, parse_source
from induction.content.ids import id_from_name, is_valid_id, suggest_id
from induction.content.limits import read_limited
from induction.content.linkcheck import (
    LinkContext,
    PageLink,
    check_markdown,
    duplicate_anchor_problems,
)
from induction.content.linker import CourseLinker, FileTarget
from induction.content.model import (
    AUDIENCES,
    Course,
    Heading,
    Lesson,
    LessonPart,
    Library,
    Module,
    Problem,
    Quiz,
    Severity,
    catalogue_order,
)
from induction.content.pictures import PicturePage, picture_rule
from induction.content.quizbuild import build_quiz
from induction.content.render import BLOCK, PictureRule, Renderer
from induction.content.schema import audiences_subset_problem

DEFAULT_PASS_MARK = 80
WORDS_PER_MINUTE = 200
TOO_DEEP = (
    "a file in this course nests too deep to be read (lists, quotes or brackets inside one "
    "another): use fewer levels"
)


def sort_problems(problems: list[Problem]) -> tuple[Problem, ...]:
    """Return `problems` sorted by path, then line, then message."""
    return tuple(sorted(problems, key=lambda p: (p.path, p.line, p.message)))


def load_library(root: Path, renderer: Renderer | None = None) -> Library:
    """Return every course under `root`: valid ones in `courses`, the others in `broken`.

    Never raises for bad content. `Library.problems` lists every finding,
    warnings included, sorted by path then line. Pass the same `renderer` on
    every reload so unchanged files are not rendered again.
    """
    renderer = renderer if renderer is not None else Renderer()
    course_dirs, layout_problems = tree.scan_root(root)
    all_problems: list[Problem] = []
    courses: list[Course] = []
    broken: dict[str, tuple[Problem, ...]] = {}
    seen_ids: dict[str, str] = {}
    for problem in layout_problems:
        # Not in any course folder: the courses folder itself, or a link in place of a course.
        if not any(_belongs(problem, course_dir) for course_dir in course_dirs):
            all_problems.append(problem)
            if problem.path != ".":
                broken[problem.path] = (problem,)
    loaders = [
        _CourseLoader(root, folder, renderer, [p for p in layout_problems if _belongs(p, folder)])
        for folder in course_dirs
    ]
    for loader in loaders:
        loader.read()
    _time_rendering(loaders, renderer)
    for loader in loaders:
        try:
            course = loader.load()
        except RecursionError:  # a backstop: the limits refuse what nests this deep
            loader.problems.append(Problem(loader.folder.path, 0, TOO_DEEP))
            course = None
        course_id = loader.course_id
        if course_id is not None and course_id in seen_ids:
            loader.problems.append(
                Problem(
                    loader.course_file_path,
                    loader.id_line,
                    f"course id '{course_id}' is also used by {seen_ids[course_id]}: "
                    "rename the folder or set a different 'id:' in course.md",
                )
            )
            course = None
            course_id = None
        elif course_id is not None:
            seen_ids[course_id] = loader.course_file_path
        problems = sort_problems(loader.problems)
        all_problems.extend(problems)
        if course is not None and not any(p.severity is Severity.ERROR for p in problems):
            courses.append(replace(course, problems=problems))
        else:
            broken[course_id or loader.folder.name] = problems
    return Library(catalogue_order(courses), broken, sort_problems(all_problems))


def _time_rendering(loaders: list[_CourseLoader], renderer: Renderer) -> None:
    """Refuse every file that Markdown does not render within the budget (see `budget`).

    Every course's files are timed together, in one child process.
    """
    documents = [
        (loader, doc) for loader in loaders for doc in loader.documents if doc.body.strip()
    ]
    slow = renderer.slow([doc.body for _, doc in documents])
    seconds = renderer.limits.render_seconds
    for index in sorted(slow):
        loader, doc = documents[index]
        loader.refused.add(doc.path)
        loader.problems.append(
            Problem(
                doc.path,
                doc.front.body_line,
                f"this file takes more than {seconds:g} seconds to turn into a page, so it "
                "is not shown: split it into smaller files, or simplify its lists, tables "
                "and links (setting COURSE_RENDER_SECONDS)",
            )
        )


def _belongs(problem: Problem, course_dir: tree.CourseDir) -> bool:
    return problem.path == course_dir.path or problem.path.startswith(course_dir.path + "/")


@dataclass
class _LessonParts:
    path: str
    doc: Document
    id: str | None
    audiences: frozenset[str] = frozenset()
    html: str = ""
    headings: tuple[Heading, ...] = ()
    parts: tuple[LessonPart, ...] = ()


@dataclass
class _ModuleParts:
    """A module folder as read and rendered, before its objects are built."""

    folder: tree.ModuleDir
    from_dir: str  # the folder, relative to the course folder
    doc: Document | None
    id: str | None
    lessons: list[_LessonParts] = field(default_factory=list)
    quiz_doc: Document | None = None
    quiz_path: str = ""
    quiz_id: str | None = None
    audiences: frozenset[str] = frozenset()
    html: str = ""
    headings: tuple[Heading, ...] = ()
    quiz: Quiz | None = None


class _CourseLoader:
    """Loads one course folder; `problems` collects everything found on the way."""

    def __init__(
        self, root: Path, folder: tree.CourseDir, renderer: Renderer, problems: list[Problem]
    ) -> None:
        self.root = root
        self.folder = folder
        self.renderer = renderer
        self.problems = list(problems)
        self.course_file_path = f"{folder.path}/{tree.COURSE_FILE}"
        self.course_id: str | None = None
        self.id_line = 0
        self.file_hashes: dict[str, str] = {}
        self.documents: list[Document] = []
        self.refused: set[str] = set()  # files not rendered: too slow to render
        self.course_doc: Document | None = None
        self.modules: list[_ModuleParts] = []
        self.page_links: dict[str, list[PageLink]] = {}  # each file's links to lessons, quizzes
        # Which lesson pictures open full size, and where (given the lesson's page for them).
        self.pictures: Callable[[PicturePage], PictureRule] | None = None

    # -- reading ---------------------------------------------------------------------------

    def _read(self, path: str, kind: str) -> Document | None:
        """Return the parsed file, or None (with its problems recorded) when it cannot be.

        A file outside the course folder (through a link), too large or with a shape
        that Markdown reads too slowly is never parsed.
        """
        file = self.root / path
        if not tree.inside_course(self.root / self.folder.path, file):
            self.problems.append(Problem(path, 0, tree.LINK_REFUSED))
            return None
        source, problems = read_limited(file, path, self.renderer.limits)
        self.problems.extend(problems)
        if source is None:
            return None
        document = parse_source(source, kind, path)
        self.problems.extend(document.problems)
        self.file_hashes[path] = source.content_hash
        self.documents.append(document)
        return document

    def _error(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, message))

    def _id(self, doc: Document | None, name: str, path: str, fix_in: str, what: str) -> str | None:
        """Return the id given by `id:` or by the name; report a name that gives no valid id."""
        if doc is not None:
            if "id" in doc.values:
                given: str | None = doc.values["id"]
                return given
            if any(entry.key == "id" for entry in doc.front.entries):
                return None  # an invalid `id:` is already reported at its line
        candidate = id_from_name(name)
        if is_valid_id(candidate):
            return candidate
        self._error(
            path,
            0,
            f"{what} name '{name}' does not give a valid id: rename it or add "
            f'"id: {suggest_id(candidate)}" to {fix_in}',
        )
        return None

    # -- the phases ------------------------------------------------------------------------

    def read(self) -> None:
        """Read and parse every file of the course (the first phase)."""
        folder = self.folder
        course_doc = self._read(self.course_file_path, "course") if folder.has_course_md else None
        self.course_id = self._id(course_doc, folder.name, folder.path, "course.md", "folder")
        if course_doc is not None and "id" in course_doc.values:
            self.id_line = course_doc.key_line("id")
        self.course_doc = course_doc
        self.modules = [self._read_module(module) for module in folder.modules]

    def load(self) -> Course | None:
        """Return the course, or None when it has errors (all of them are in `problems`).

        Call `read` first (and time the rendering of what it read).
        """
        folder = self.folder
        course_doc, modules = self.course_doc, self.modules
        self._check_unique_ids(modules)
        course_id = self.course_id or folder.name
        linker = CourseLinker(course_id, self._targets(modules), folder.media, self.renderer.links)
        media_files = {linker.links.media(course_id, name): name for name in folder.media}
        self.pictures = picture_rule(self.root / folder.path, media_files)
        course_audiences = frozenset(AUDIENCES)
        if course_doc is not None:
            course_audiences = course_doc.values.get("audiences", course_audiences)
        for parts in modules:
            self._render_module(parts, course_audiences, linker)
        lesson_anchors = {
            lesson.id: tuple(heading.anchor for heading in lesson.headings)
            for parts in modules
            for lesson in parts.lessons
            if lesson.id is not None
        }
        context = LinkContext(linker, lesson_anchors)
        course_html, course_headings = self._render(course_doc, "", linker)
        self._check_links(course_doc, "", context, course_headings, "this page")
        pass_mark = DEFAULT_PASS_MARK
        if course_doc is not None:
            pass_mark = course_doc.values.get("pass_mark", DEFAULT_PASS_MARK)
        for parts in modules:
            self._check_links(parts.doc, parts.from_dir, context, parts.headings, "this page")
            for lesson in parts.lessons:
                self._check_links(
                    lesson.doc, parts.from_dir, context, lesson.headings, "this lesson"
                )
            if parts.quiz_doc is not None and parts.quiz_doc.path not in self.refused:
                parts.quiz, problems = build_quiz(
                    parts.quiz_doc,
                    (parts.quiz_id, parts.id, course_id),
                    pass_mark,
                    parts.from_dir,
                    self.renderer,
                    context,
                    parts.audiences,
                )
                self.problems.extend(problems)
        if course_doc is None or self.course_id is None:
            return None
        if any(p.severity is Severity.ERROR for p in self.problems):
            return None
        values = course_doc.values
        course = Course(
            id=self.course_id,
            path=folder.path,
            title=values["title"],
            summary=values["summary"],
            audiences=course_audiences,
            pass_mark=pass_mark,
            due_days=values.get("due_days"),
            certificate=values.get("certificate", True),
            draft=values.get("draft", False),
            order=values.get("order"),
            public=values.get("public", False),
            renew=values.get("renew"),
            body=course_doc.body,
            html=course_html,
            modules=tuple(self._module(parts, self.course_id) for parts in modules),
            content_hash=self._course_hash(),
        )
        # Warnings only: who is shown what is known once the course is built.
        self.problems.extend(audience_link_problems(course, self.page_links))
        return course

    def _read_module(self, folder: tree.ModuleDir) -> _ModuleParts:
        doc = None
        if folder.has_module_md:
            doc = self._read(f"{folder.path}/{tree.MODULE_FILE}", "module")
        module_id = self._id(doc, folder.name, folder.path, "module.md", "folder")
        parts = _ModuleParts(folder, self._course_relative(folder.path), doc, module_id)
        for name in folder.lessons:
            path = f"{folder.path}/{name}"
            lesson_doc = self._read(path, "lesson")
            if lesson_doc is not None:
                lesson_id = self._id(lesson_doc, name, path, "its front matter", "file")
                parts.lessons.append(_LessonParts(path, lesson_doc, lesson_id))
        if folder.has_quiz:
            parts.quiz_path = f"{folder.path}/{tree.QUIZ_FILE}"
            parts.quiz_doc = self._read(parts.quiz_path, "quiz")
            if parts.quiz_doc is not None:
                parts.quiz_id = parts.quiz_doc.values.get("id", module_id)
        return parts

    def _course_relative(self, path: str) -> str:
        return path[len(self.folder.path) + 1 :]

    def _check_unique_ids(self, modules: list[_ModuleParts]) -> None:
        """Report module, lesson, quiz and question ids used twice in the course, at both places."""
        places: dict[str, dict[str, list[tuple[str, int]]]] = defaultdict(lambda: defaultdict(list))
        for parts in modules:
            if parts.id is not None:
                if parts.doc is not None:
                    places["module"][parts.id].append((parts.doc.path, parts.doc.key_line("id")))
                else:
                    places["module"][parts.id].append((parts.folder.path, 0))
            for lesson in parts.lessons:
                if lesson.id is not None:
                    places["lesson"][lesson.id].append((lesson.path, lesson.doc.key_line("id")))
            quiz = parts.quiz_doc
            if quiz is not None and parts.quiz_id is not None:
                places["quiz"][parts.quiz_id].append((parts.quiz_path, quiz.key_line("id")))
                for parsed in quiz.questions:
                    question = parsed.question
                    places["question"][question.id].append((parts.quiz_path, question.line))
        for what, by_id in places.items():
            for item_id, found in by_id.items():
                if len(found) > 1:
                    self._report_duplicates(what, item_id, found)

    def _report_duplicates(self, what: str, item_id: str, found: list[tuple[str, int]]) -> None:
        for index, (path, line) in enumerate(found):
            others = ", ".join(
                f"{self._course_relative(p)}:{n}" if n else self._course_relative(p)
                for i, (p, n) in enumerate(found)
                if i != index
            )
            self._error(
                path,
                line,
                f"{what} id '{item_id}' is also used by {others}: ids must be unique in a "
                "course, so rename one or give it another 'id:'",
            )

    def _targets(self, modules: list[_ModuleParts]) -> dict[str, FileTarget]:
        targets: dict[str, FileTarget] = {tree.COURSE_FILE: FileTarget("course", "")}
        for parts in modules:
            targets[f"{parts.from_dir}/{tree.MODULE_FILE}"] = FileTarget("module", parts.id or "")
            for lesson in parts.lessons:
                if lesson.id is not None:
                    targets[self._course_relative(lesson.path)] = FileTarget("lesson", lesson.id)
            if parts.quiz_doc is not None and parts.id is not None:
                targets[f"{parts.from_dir}/{tree.QUIZ_FILE}"] = FileTarget("quiz", parts.id)
        return targets

    # -- rendering and link checks ---------------------------------------------------------

    def _narrowed(self, doc: Document, parent: frozenset[str], parent_file: str) -> frozenset[str]:
        """Return the file's audiences (its parent's by default); report any the parent lacks."""
        if "audiences" not in doc.values:
            return parent
        message = audiences_subset_problem(doc.values["audiences"], parent, parent_file)
        if message:
            self._error(doc.path, doc.key_line("audiences"), message)
            return parent
        narrowed: frozenset[str] = doc.values["audiences"]
        return narrowed

    def _render_module(
        self, parts: _ModuleParts, course_audiences: frozenset[str], linker: CourseLinker
    ) -> None:
        parts.audiences = course_audiences
        if parts.doc is not None:
            parts.audiences = self._narrowed(parts.doc, course_audiences, "course.md")
        parts.html, parts.headings = self._render(parts.doc, parts.from_dir, linker)
        for lesson in parts.lessons:
            lesson.audiences = self._narrowed(lesson.doc, parts.audiences, "module.md")
            lesson.html, lesson.headings, lesson.parts = self._render_lesson(
                lesson.doc, parts.from_dir, linker, self._picture_rule(lesson.id, linker)
            )

    def _render(
        self, doc: Document | None, from_dir: str, linker: CourseLinker
    ) -> tuple[str, tuple[Heading, ...]]:
        """Return the HTML and headings of a file's body (cached by the renderer)."""
        if doc is None or doc.path in self.refused:
            return "", ()
        rendered = self.renderer.render(doc.body, BLOCK, linker.resolver(from_dir))
        anchors = tuple(heading.anchor for heading in rendered.headings)
        self.problems.extend(
            duplicate_anchor_problems(doc.path, doc.body, doc.front.body_line, anchors)
        )
        return rendered.html, rendered.headings

    def _picture_rule(self, lesson_id: str | None, linker: CourseLinker) -> PictureRule | None:
        """Return the rule that links a lesson's wide pictures to the lesson's page for them
        (`Links.picture`); None for a lesson without a valid id (its course does not load)."""
        if self.pictures is None or lesson_id is None:
            return None
        links, course_id = linker.links, linker.course_id
        return self.pictures(lambda name: links.picture(course_id, lesson_id, name))

    def _render_lesson(
        self, doc: Document, from_dir: str, linker: CourseLinker, pictures: PictureRule | None
    ) -> tuple[str, tuple[Heading, ...], tuple[LessonPart, ...]]:
        """Return a lesson's HTML, headings and parts (its blocks cut out and rendered apart)."""
        if doc.path in self.refused:
            return "", (), ()
        resolve = linker.resolver(from_dir)

        def render(markdown: str) -> tuple[str, tuple[Heading, ...]]:
            rendered = self.renderer.render(markdown, BLOCK, resolve, pictures)
            return rendered.html, rendered.headings

        page, headings, parts = render_lesson(doc.body, render)
        anchors = tuple(heading.anchor for heading in headings)
        self.problems.extend(
            duplicate_anchor_problems(doc.path, doc.body, doc.front.body_line, anchors)
        )
        return page, headings, parts

    def _check_links(
        self,
        doc: Document | None,
        from_dir: str,
        context: LinkContext,
        own_headings: tuple[Heading, ...],
        own_name: str,
    ) -> None:
        if doc is not None and doc.path not in self.refused:
            own = tuple(heading.anchor for heading in own_headings)
            checked = check_markdown(
                doc.path, doc.body, doc.front.body_line, from_dir, context, own, own_name
            )
            self.problems.extend(checked.problems)
            self.page_links[doc.path] = checked.page_links

    # -- building --------------------------------------------------------------------------

    def _module(self, parts: _ModuleParts, course_id: str) -> Module:
        """Return the module object (only called when the course has no errors)."""
        doc = parts.doc
        assert doc is not None
        assert parts.id is not None
        lessons = tuple(self._lesson(lesson, parts.id, course_id) for lesson in parts.lessons)
        return Module(
            id=parts.id,
            course_id=course_id,
            path=parts.folder.path,
            title=doc.values["title"],
            summary=doc.values["summary"],
            audiences=parts.audiences,
            body=doc.body,
            html=parts.html,
            lessons=lessons,
            quiz=parts.quiz,
        )

    @staticmethod
    def _lesson(lesson: _LessonParts, module_id: str, course_id: str) -> Lesson:
        values = lesson.doc.values
        assert lesson.id is not None
        words = len(lesson.doc.body.split())
        return Lesson(
            id=lesson.id,
            course_id=course_id,
            module_id=module_id,
            path=lesson.path,
            title=values["title"],
            minutes=values.get("minutes", max(1, math.ceil(words / WORDS_PER_MINUTE))),
            audiences=lesson.audiences,
            version=values.get("version", 1),
            acknowledge=values.get("acknowledge"),
            body=lesson.doc.body,
            html=lesson.html,
            headings=lesson.headings,
            content_hash=lesson.doc.source.content_hash,
            parts=lesson.parts,
        )

    def _course_hash(self) -> str:
        digest = hashlib.sha256()
        for path in sorted(self.file_hashes):
            digest.update(f"{path}\0{self.file_hashes[path]}\n".encode())
        media_root = self.root / self.folder.path / tree.MEDIA_DIR
        for name in sorted(self.folder.media):
            try:
                data = (media_root / name).read_bytes()
            except OSError:
                continue
            digest.update(f"media/{name}\0{hashlib.sha256(data).hexdigest()}\n".encode())
        return digest.hexdigest()
