"""`encryption-azure-sql-tde-cmk`: an Azure SQL server's TDE protector is a Key Vault key.

Transparent data encryption is on for every Azure SQL database, but with a service-managed key
unless the server's encryption protector is a customer-managed key: either the server's `keyId`
(the TDE protector given at creation) or an `azure-native:sql:EncryptionProtector` of
`serverKeyType: AzureKeyVault` attached to the server (joined through the reference of its
`serverName`, or its value equal to the server's physical `serverName`). Source:
learn.microsoft.com/azure/azure-sql/database/transparent-data-encryption-byok-overview (read 2026-12-05).

What it deliberately does not do: judge the key itself (rotation is `encryption-key-rotation`) or
the database-level TDE switch (`azure-native:sql:TransparentDataEncryption`, in `encryption-at-rest-cmk`).
"""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from ._support import Outcome, attach, cannot_tell, get, graph_complete, is_set, require_one_of

SQL_SERVER = "azure-native:sql:Server"
ENCRYPTION_PROTECTOR = "azure-native:sql:EncryptionProtector"

_KEY_VAULT_PROTECTOR = require_one_of("serverKeyType", ["AzureKeyVault"])


def _validate(args: StackValidationArgs, report: ReportViolation) -> None:
    servers, attached = attach(
        args, (SQL_SERVER,), (ENCRYPTION_PROTECTOR,), ref="serverName", subject_name="serverName"
    )
    complete = graph_complete(args)
    unknown: UnknownValueError | None = None
    for server in servers:
        outcome = Outcome()
        if is_set(outcome.attempt(get, server.props, "keyId")):
            continue  # created with a customer-managed TDE protector
        results = [(p.name, outcome.attempt(_KEY_VAULT_PROTECTOR, p.props)) for p in attached.by_subject[server.urn]]
        if any(r == [] for _, r in results):
            continue
        if outcome.unknown is None:
            if not results:
                if attached.dangling_unknown or not complete:
                    outcome.unknown = cannot_tell(
                        "the server's encryption protector may be a resource absent from this graph"
                    )
                else:
                    outcome.problems.append(
                        "no azure-native.sql.EncryptionProtector targets this server and it sets no `keyId`, so "
                        "TDE uses a service-managed key: add an EncryptionProtector with `serverKeyType: "
                        '"AzureKeyVault"` and `serverKeyName` = <vault>_<key>_<version>, or set `keyId` to '
                        "the Key Vault key's URI"
                    )
            for name, r in results:
                outcome.problems.extend(f"{p} (on its encryption protector {name})" for p in (r or []))
        unknown = outcome.settle(report, server.urn) or unknown
    if unknown is not None:
        raise unknown


encryption_azure_sql_tde_cmk = StackValidationPolicy(
    name="encryption-azure-sql-tde-cmk",
    description="Every Azure SQL server encrypts its databases (TDE) with a customer-managed Key Vault key: "
    "its `keyId`, or an EncryptionProtector of type AzureKeyVault attached to it.",
    validate=_validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Give the server a user-assigned identity with access to the key and set `keyId` to the "
    "Key Vault key URI, or add an azure-native.sql.EncryptionProtector with `serverName` = the "
    'server\'s name, `serverKeyType: "AzureKeyVault"` and `serverKeyName` naming a ServerKey. '
    "Types: " + ", ".join((SQL_SERVER, ENCRYPTION_PROTECTOR)),
)

POLICIES = [encryption_azure_sql_tde_cmk]
