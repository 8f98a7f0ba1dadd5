"""Build step (setuptools' build_py, named in pyproject.toml): also put `gluon_vs_scratch_mxnet.pth` at the
top of the wheel, so site-packages runs `implementations.mxnet_first_import` at every interpreter start — the
way setuptools installs its own distutils shim. Used only while building; imports nothing of the package."""
from pathlib import Path

from setuptools.command.build_py import build_py

PTH_NAME = "gluon_vs_scratch_mxnet.pth"
PTH_LINE = "import implementations.mxnet_first_import\n"  # a .pth line starting with `import` is executed


class BuildPyWithStartup(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / PTH_NAME
        target.write_text(PTH_LINE)
        self.outfiles = [*getattr(self, "outfiles", []), str(target)]  # type: ignore[attr-defined]

    def get_outputs(self, include_bytecode: bool = True) -> list:
        return [*super().get_outputs(include_bytecode), str(Path(self.build_lib) / PTH_NAME)]
