"""`serve`: the library on a local web page, for colleagues without a terminal.

A module of its own because it is a different way in, not a command about sheets or content;
everything it does is in `worksheetgen.serve`, imported only when the command runs.
"""

from __future__ import annotations

from typing import Annotated

from worksheetgen.cli.app import command
from worksheetgen.cli.options import number, option


@command(short_help="Everything above on a web page, for colleagues without a terminal.")
def serve(
    host: Annotated[
        str,
        option(
            "--host",
            metavar="ADDRESS",
            help="Where to listen. Default: 127.0.0.1, this computer only; 0.0.0.0 lets anyone on your network in.",
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int,
        option(
            "--port",
            metavar="N",
            parser=number(0, 65535),
            help="The port to listen on (0: any free one). Default: 8000.",
        ),
    ] = 8000,
    open_browser: Annotated[
        bool, option("--open/--no-open", help="Open the page in your web browser (the default), or not.")
    ] = True,
) -> None:
    """A web page to choose a topic, upload notes or a class list, preview the sheets and
    download them; nothing leaves the computer it runs on. Ctrl+C stops it.

    \b
    Example:
      worksheetgen serve --port 8080
    """
    from worksheetgen.serve import serve as run

    run(host, port, open_browser)
