-- Tenant names are unique without regard to case: "Acme" and "acme" are one tenant.
-- Tenants that already differ only in case keep their rows; every one but the oldest is renamed
-- to "<name> (<first 8 characters of its id>)", which the unique index below then accepts.
UPDATE "Tenant" AS t
SET "name" = t."name" || ' (' || left(t."id", 8) || ')'
FROM (
  SELECT "id", row_number() OVER (PARTITION BY lower("name") ORDER BY "createdAt", "id") AS n
  FROM "Tenant"
) AS ranked
WHERE ranked."id" = t."id" AND ranked.n > 1;

CREATE UNIQUE INDEX "Tenant_name_lower_key" ON "Tenant" (lower("name"));
