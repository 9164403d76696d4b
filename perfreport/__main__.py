"""`python -m perfreport` and the `perfreport` command: the CLI, with an interruption during start-up handled too.

Importing the CLI takes a tenth of a second; a Ctrl-C in that time would
otherwise print Python's KeyboardInterrupt traceback.
"""
import gc
import sys

INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def run() -> None:
    """Run the command line; an interruption anywhere prints one Chinese line and exits 130."""
    gc.disable()  # what importing makes lives as long as the process: a collection would find no garbage
    try:
        from .warmstart import install
        install()  # before the CLI's modules compile their regular expressions and dataclasses
        from .cli import main
    except KeyboardInterrupt:
        sys.stderr.write("已中断：没有写入任何文件\n")
        sys.exit(INTERRUPTED)
    gc.freeze()  # and no later collection need scan it, the one as the interpreter exits included
    gc.enable()
    main()


if __name__ == "__main__":
    run()
