-- Per-tenant cap on HTTP requests in progress per API process (src/graphql/in-flight-guard.ts);
-- NULL = TENANT_MAX_IN_FLIGHT.
ALTER TABLE "TenantLimits" ADD COLUMN "maxRequestsInFlight" INTEGER;
ALTER TABLE "TenantLimits" ADD CONSTRAINT "TenantLimits_requests_in_flight_positive" CHECK (coalesce("maxRequestsInFlight", 1) > 0);
