"""Build step (setuptools' build_py, named in pyproject.toml): also put `gluon_vs_scratch_mxnet.pth` at the
top of the wheel, so site-packages runs `implementations.mxnet_first_import` at every interpreter start — the
way setuptools installs its own distutils shim. An editable install (`pip install -e .`, PEP 660) gets it too: its
wheel holds only what is written into the unpacked wheel itself, so there the file goes (it sorts after setuptools'
own `__editable__` .pth, which makes `implementations` importable first). Used only while building; imports
nothing of the package."""
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
        if getattr(self, "editable_mode", False):  # the unpacked editable wheel is `install`'s install_lib
            Path(self.get_finalized_command("install").install_lib, PTH_NAME).write_text(PTH_LINE)

    def get_outputs(self, include_bytecode: bool = True) -> list:
        return [*super().get_outputs(include_bytecode), str(Path(self.build_lib) / PTH_NAME)]
