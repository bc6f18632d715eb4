# The AWS CLI (v1, a Python package) kept warm for test/server/aws-cli.test.ts: each line on
# stdin is one command, {"args": [...], "cwd": "..."}, run by the same code as the `aws`
# script (awscli.clidriver, a fresh driver each time), and answered with one line,
# {"code": n, "stdout": "...", "stderr": "..."}. Python and botocore start once instead of
# once per command (5 to 9 s each on a loaded machine).
import contextlib
import io
import json
import os
import sys

import awscli.clidriver

answers = sys.stdout
for line in sys.stdin:
    request = json.loads(line)
    os.chdir(request["cwd"])
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = awscli.clidriver.create_clidriver().main(request["args"])
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 1
    answers.write(json.dumps({"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}) + "\n")
    answers.flush()
