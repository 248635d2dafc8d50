"""Finding and loading plugins, each in isolation.

Plugins are found through the ``workbench.schemes`` entry-point group; the
built-in schemes are registered there exactly like a third party's. A plugin
that fails to import, raises in a hook or registers something invalid is
recorded as a ``PluginFailure`` (shown by ``workbench schemes``) and skipped;
the others load. ``WORKBENCH_DISABLE_PLUGINS=name,name`` disables plugins by
entry-point name.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pluggy

from workbench.errors import ScenarioError, SchemeError, did_you_mean
from workbench.scheme import hookspecs
from workbench.scheme.drivers import BUILTIN_DRIVERS, CostDriver
from workbench.scheme.model import Scheme
from workbench.scheme.scheme_files import folder_files, load_scheme_file, peek_id, scheme_folder
from workbench.scheme.validation import validate_scheme
from workbench.text import Lang

ENTRY_POINT_GROUP = "workbench.schemes"
DISABLE_ENV = "WORKBENCH_DISABLE_PLUGINS"


@dataclass(frozen=True)
class PluginFailure:
    """A plugin, or one thing it registered, that could not be loaded."""

    plugin: str
    stage: str  # "load", "hook", "register" or "file" (a scheme file)
    message: str
    zh: str = ""  # the message in Chinese

    def __str__(self) -> str:
        return f"{self.plugin}: {self.message}"

    def in_lang(self, lang: Lang) -> str:
        """The message in ``lang`` (English where it has no Chinese)."""
        return self.zh if lang == "zh" and self.zh else self.message


@dataclass
class Registry:
    """The schemes and cost drivers available, and what failed to load."""

    schemes: dict[str, Scheme] = field(default_factory=dict)
    scheme_plugin: dict[str, str] = field(default_factory=dict)
    drivers: dict[str, CostDriver] = field(default_factory=dict)
    driver_plugin: dict[str, str] = field(default_factory=dict)
    plugins: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)
    failures: list[PluginFailure] = field(default_factory=list)
    scheme_files: dict[str, Path] = field(default_factory=dict)  # schemes read from files
    folder: Path | None = None  # the schemes folder that was read
    _file_stamps: dict[Path, tuple[int, int, str]] = field(default_factory=dict, repr=False)

    def add_file(self, path: str | Path) -> Scheme:
        """Read and validate a scheme file (every problem at once, ``SchemeFileError``) and
        make its scheme the one its id names, over an installed one with the same id. A
        file read before and unchanged on disk is not read again."""
        path = Path(path).expanduser().resolve()
        try:
            info = path.stat()
            stamp = (info.st_mtime_ns, info.st_size)
        except OSError:
            stamp = (0, 0)
        known = self._file_stamps.get(path)
        if known is not None and known[:2] == stamp and known[2] in self.schemes:
            return self.schemes[known[2]]
        scheme = load_scheme_file(path, self._parent_of(path), self.drivers, lambda: sorted(self.schemes))
        self.schemes[scheme.id] = scheme
        self.scheme_plugin[scheme.id] = f"file {path}"
        self.scheme_files[scheme.id] = path
        self._file_stamps[path] = (*stamp, scheme.id)
        return scheme

    def changed_file(self, scheme_id: str) -> Path | None:
        """The scheme file of ``scheme_id`` when it changed on disk since it was read."""
        path = self.scheme_files.get(scheme_id)
        known = self._file_stamps.get(path) if path is not None else None
        if path is None or known is None:
            return None
        try:
            info = path.stat()
        except OSError:
            return None  # gone: the scheme read stays
        return path if (info.st_mtime_ns, info.st_size) != known[:2] else None

    def _parent_of(self, path: Path) -> Callable[[str], Scheme | None]:
        def parent(parent_id: str) -> Scheme | None:
            if self.scheme_files.get(parent_id) == path:
                raise SchemeError(f"the file extends its own scheme {parent_id!r} (a cycle)")
            return self.schemes.get(parent_id)

        return parent

    def source(self, scheme_id: str) -> str:
        """Where a scheme came from: its file, else the plugin that registered it."""
        path = self.scheme_files.get(scheme_id)
        return str(path) if path is not None else self.scheme_plugin.get(scheme_id, "")

    def scheme(self, scheme_id: str, where: str = "", file: Path | None = None) -> Scheme:
        """A scheme by id, read from ``file`` first when given; an unknown id is an error
        (prefixed by ``where``, the file that names it) listing the available ones."""
        if file is not None:
            found = self.add_file(file)
            if scheme_id and found.id != scheme_id:
                at = f"{where}: " if where else ""
                raise ScenarioError(
                    f"{at}scheme {scheme_id!r}, but the scheme file {file} declares {found.id!r}",
                    zh=f"{at}方案为 {scheme_id!r},但方案文件 {file} 声明的是 {found.id!r}",
                )
            return found
        try:
            return self.schemes[scheme_id]
        except KeyError:
            available = ", ".join(sorted(self.schemes)) or "none"
            failed = [f.plugin for f in self.failures]
            broken = f"; plugins not loaded: {', '.join(failed)} (see `workbench schemes`)" if failed else ""
            at = f"{where}: " if where else ""
            raise ScenarioError(
                f"{at}unknown scheme {scheme_id!r}{did_you_mean(scheme_id, self.schemes)}; "
                f"available schemes: {available}{broken}",
                zh=f"{at}没有方案 {scheme_id!r};已安装的方案:{available}",
            ) from None


def disabled_names() -> set[str]:
    raw = os.environ.get(DISABLE_ENV, "")
    return {name.strip() for name in raw.split(",") if name.strip()}


def _short_error(exc: BaseException) -> str:
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" (at {last[0].filename}:{last[0].lineno})" if last else ""
    return f"{type(exc).__name__}: {exc}{where}"


def _constant(obj: Any) -> Callable[[], Any]:
    return lambda: obj


def load_registry(
    plugins: Iterable[tuple[str, Any]] = (),
    *,
    use_entry_points: bool = True,
    folder: Path | None = None,
) -> Registry:
    """Load every plugin and collect what they register, then the scheme files of
    ``folder`` (a schemes folder; see ``scheme_files.scheme_folder``).

    ``plugins`` adds (name, module-or-object) pairs beside the entry points,
    for tests and embedding.
    """
    registry = Registry(drivers={d.id: d for d in BUILTIN_DRIVERS})
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    disabled = disabled_names()
    candidates: list[tuple[str, Callable[[], Any]]] = []
    if use_entry_points:
        for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            candidates.append((ep.name, ep.load))
    candidates.extend((name, _constant(obj)) for name, obj in plugins)
    for name, load in candidates:
        if name in disabled:
            registry.disabled.append(name)
            continue
        try:
            pm.register(load(), name=name)
        except Exception as exc:
            said = _short_error(exc)
            registry.failures.append(PluginFailure(name, "load", said, f"无法加载:{said}"))
            continue
        registry.plugins.append(name)

    _collect(pm, registry, "workbench_register_cost_drivers", CostDriver, _add_driver)
    found: dict[str, list[tuple[str, Scheme]]] = {}

    def add(reg: Registry, plugin: str, scheme: Scheme) -> None:
        found.setdefault(scheme.id, []).append((plugin, scheme))

    _collect(pm, registry, "workbench_register_schemes", Scheme, add)
    for scheme_id, entries in sorted(found.items()):
        if len(entries) > 1:
            owners = " and ".join(repr(p) for p, _ in entries)
            for plugin, _ in entries:
                registry.failures.append(
                    PluginFailure(
                        plugin,
                        "register",
                        f"scheme id {scheme_id!r} is registered by both {owners}; neither is loaded "
                        f"(disable one with {DISABLE_ENV}=name)",
                        f"方案 id {scheme_id!r} 被 {owners} 同时注册;两者都未加载"
                        f"(可用 {DISABLE_ENV}=名称 停用其一)",
                    )
                )
            continue
        plugin, scheme = entries[0]
        problems = validate_scheme(scheme, registry.drivers)
        if problems:
            registry.failures.append(
                PluginFailure(
                    plugin,
                    "register",
                    f"scheme {scheme_id!r} is invalid: " + "; ".join(p.en for p in problems),
                    f"方案 {scheme_id!r} 无效:" + ";".join(p.zh or p.en for p in problems),
                )
            )
            continue
        registry.schemes[scheme_id] = scheme
        registry.scheme_plugin[scheme_id] = plugin
    if folder is not None:
        _load_folder(registry, folder)
    return registry


def _load_folder(registry: Registry, folder: Path) -> None:
    """The scheme files of a folder, each in isolation: a broken file, one that would
    replace an installed scheme, or a cycle of ``extends`` is reported and skipped.
    Files may extend installed schemes and each other."""
    registry.folder = folder
    paths: dict[str, Path] = {}
    for path in folder_files(folder):
        try:
            scheme_id = peek_id(path)
        except SchemeError as exc:
            registry.failures.append(PluginFailure(str(path), "file", exc.text.en, exc.text.zh))
            continue
        if scheme_id in registry.schemes:
            owner = registry.scheme_plugin.get(scheme_id, "")
            registry.failures.append(
                PluginFailure(
                    str(path),
                    "file",
                    f"declares scheme {scheme_id!r}, which plugin {owner!r} already provides; not loaded "
                    "(give a new id, or pass the file with --scheme-file to use it instead)",
                    f"声明的方案 {scheme_id!r} 已由插件 {owner!r} 提供;未加载"
                    "(请换一个 id,或用 --scheme-file 指定此文件以代替它)",
                )
            )
        elif scheme_id in paths:
            registry.failures.append(
                PluginFailure(
                    str(path),
                    "file",
                    f"declares scheme {scheme_id!r}, as {paths[scheme_id]} does; not loaded",
                    f"声明的方案 {scheme_id!r} 与 {paths[scheme_id]} 相同;未加载",
                )
            )
        else:
            paths[scheme_id] = path
    loading: list[str] = []
    failed: dict[str, str] = {}

    def parent(parent_id: str) -> Scheme | None:
        if parent_id in loading:
            cycle = " -> ".join([*loading, parent_id])
            raise SchemeError(f"extends forms a cycle: {cycle}", zh=f"extends 形成了循环:{cycle}")
        if parent_id in paths and parent_id not in registry.schemes:
            load(parent_id)
            if parent_id in failed:
                raise SchemeError(
                    f"the scheme it extends, {parent_id!r}, is broken: see {paths[parent_id]}",
                    zh=f"它所扩展的方案 {parent_id!r} 有问题:见 {paths[parent_id]}",
                )
        return registry.schemes.get(parent_id)

    def load(scheme_id: str) -> None:
        if scheme_id in registry.schemes or scheme_id in failed:
            return
        loading.append(scheme_id)
        try:
            scheme = load_scheme_file(
                paths[scheme_id], parent, registry.drivers, lambda: sorted(registry.schemes)
            )
        except SchemeError as exc:
            failed[scheme_id] = str(exc)
            registry.failures.append(PluginFailure(str(paths[scheme_id]), "file", exc.text.en, exc.text.zh))
        else:
            registry.schemes[scheme_id] = scheme
            registry.scheme_plugin[scheme_id] = f"file {paths[scheme_id]}"
            registry.scheme_files[scheme_id] = paths[scheme_id]
        finally:
            loading.pop()

    for scheme_id in paths:
        load(scheme_id)


def _collect(
    pm: pluggy.PluginManager,
    registry: Registry,
    hook: str,
    kind: type,
    add: Callable[[Registry, str, Any], None],
) -> None:
    """Call ``hook`` through pluggy, one plugin at a time (so a plugin that raises is
    reported and skipped, and what each registers is known); keep what a plugin
    registers only if its call succeeds. Pluggy passes each implementation only the
    arguments it declares."""
    for impl in getattr(pm.hook, hook).get_hookimpls():
        collected: list[Any] = []

        def register(item: Any, collected: list[Any] = collected) -> None:
            if not isinstance(item, kind):
                raise TypeError(f"register() expects a {kind.__name__}, got {type(item).__name__}")
            collected.append(item)

        others = [plugin for plugin in pm.get_plugins() if plugin is not impl.plugin]
        try:
            pm.subset_hook_caller(hook, remove_plugins=others)(register=register)
        except Exception as exc:
            registry.failures.append(
                PluginFailure(
                    impl.plugin_name,
                    "hook",
                    f"{hook} raised {_short_error(exc)}",
                    f"{hook} 出错:{_short_error(exc)}",
                )
            )
            continue
        for item in collected:
            add(registry, impl.plugin_name, item)


def _add_driver(registry: Registry, plugin: str, driver: CostDriver) -> None:
    if driver.id in registry.drivers:
        owner = registry.driver_plugin.get(driver.id, "workbench (built in)")
        registry.failures.append(
            PluginFailure(
                plugin,
                "register",
                f"cost driver id {driver.id!r} is already registered by {owner!r}; {plugin!r}'s is skipped",
                f"成本类型 id {driver.id!r} 已由 {owner!r} 注册;{plugin!r} 的这一个未加载",
            )
        )
        return
    registry.drivers[driver.id] = driver
    registry.driver_plugin[driver.id] = plugin


def default_registry() -> Registry:
    """The registry of installed plugins and the schemes folder, loaded once per process
    (per schemes folder)."""
    return _registry_for(scheme_folder())


@lru_cache(maxsize=4)
def _registry_for(folder: Path | None) -> Registry:
    return load_registry(folder=folder)
