"""Reading the wave's credentials: Pulumi secret config named by the wave spec, never plain values.

A wave names the config key that holds a credential (`credentials.secret`, `password_secret`); this
module reads it with `pulumi.Config.require_secret`, so the value stays a secret end to end (in the
state, in previews, in `lz plan`'s graph as "[secret]"). Some services take a credential in parts
(an access key id and its secret key): those secrets hold a JSON object, and `secret_field` picks a
part without ever un-secreting it.

Offline, `lz plan` cannot decrypt secrets and hands the program the literal "[secret]" for each
(see `lz.cli.project.StackFile.engine_config`); `secret_field` passes that placeholder through so a plan
works without the passphrase. Under `pulumi up` a malformed secret is an error that names its key.
"""

from __future__ import annotations

import json

import pulumi

OFFLINE_PLACEHOLDER = "[secret]"


def require_secret(key: str) -> pulumi.Output[str]:
    """The secret config value at `key` (`ns:key`, or `key` in the project's namespace)."""
    namespace, _, name = key.rpartition(":")
    return pulumi.Config(namespace or pulumi.get_project()).require_secret(name)


def secret_field(key: str, field: str) -> pulumi.Output[str]:
    """One field of a secret holding a JSON object, still a secret."""

    def pick(text: str) -> str:
        if text == OFFLINE_PLACEHOLDER:
            return text
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get(field), str):
            raise ValueError(f"config secret {key!r} must hold a JSON object with a string `{field}`")
        return str(data[field])

    return pulumi.Output.secret(require_secret(key).apply(pick))
