-- grants.sql - the rights of the pool's own MariaDB account, and nothing
-- more: no DDL, no DELETE (deleting is soft), no access outside the sopm
-- schema. Migrations and administration run under another account.
--
-- scripts/stack.sh applies this after every migrate, with @ACCOUNT@ replaced
-- by the quoted account ('sopm_app'@'localhost' locally); a new table needs
-- its line here. Every statement is idempotent.

GRANT SELECT ON platform_info TO @ACCOUNT@;
GRANT SELECT ON users TO @ACCOUNT@;
GRANT SELECT ON quotas TO @ACCOUNT@;
GRANT SELECT, UPDATE (last_used_at) ON api_keys TO @ACCOUNT@;
GRANT SELECT, INSERT, UPDATE ON functions TO @ACCOUNT@;
GRANT SELECT, INSERT, UPDATE ON function_versions TO @ACCOUNT@;
GRANT SELECT, INSERT ON executions TO @ACCOUNT@;
