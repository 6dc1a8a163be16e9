/**
 * A complete `railyard.yaml`, annotated, as shown in `docs/configuration.md`. Tests parse it, so
 * the documentation never shows a configuration Railyard would reject.
 */
/** The example configuration, with a comment on every choice a reader has to make. */
export const ANNOTATED_EXAMPLE = `# Point your editor at the JSON Schema for completion and checks as you type:
# yaml-language-server: $schema=https://railyard.dev/schema/railyard.schema.json
version: 1 # the configuration format; always 1 for now

# People, grouped into teams. Teams own components and approve trains.
teams:
  payments:
    description: Checkout, billing and the ledger.
    members:
      - name: alice # login name, shown in approvals and in the audit trail
        email: alice@example.com
        roles: [member, approver] # default: [member]
      - name: bob
  storefront:
    members:
      - name: carol
        roles: [member, approver]
  platform:
    members:
      - name: erin
        roles: [coordinator, admin]

# How components reach an environment. Components name one of these.
deployers:
  argo:
    type: gitops # commit the version into a Git repository that Argo CD or Flux watches
    repository: git@example.com:acme/deployments.git
    branch: main
    file: clusters/{environment}/versions.yaml
    path: "{component}.image.tag" # quoted: a YAML value may not start with {
  migrate:
    type: command # run a program; exit code 0 means deployed
    command: [./scripts/migrate.sh, --apply]
    timeout: 30m

# Deployable units, each owned by one team.
components:
  ledger-db:
    team: payments
    deployer: migrate
  ledger:
    team: payments
    deployer: argo
    depends_on:
      # ledger only boards a train with a ledger-db version in this semver range
      - component: ledger-db
        version: ">=12.0.0 <13.0.0"
  checkout:
    team: payments
    deployer: argo
    depends_on:
      - component: ledger
        version: ^4.2.0
  web:
    team: storefront
    deployer: argo
    depends_on:
      - component: checkout
        version: ">=3.0.0"
  platform-api:
    team: platform
    deployer: argo

# Exactly one integration environment, and the production targets waves deploy to.
environments:
  staging:
    kind: integration
  eu-west:
    kind: production
    labels: { region: eu-west-1 }
  us-east:
    kind: production
    labels: { region: us-east-1 }

# Lines: recurring release trains.
lines:
  payments:
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=TU # every Tuesday…
      start: 2026-01-06T10:00 # …at 10:00 local time, from 6 January 2026 on
      timezone: Europe/Berlin # 10:00 in Berlin, summer and winter alike
      cutoff: 26h # boarding closes on Monday at 08:00
    components: [ledger-db, ledger, checkout]
    gates: # run after the integration stage, before approval
      - name: contract-tests
        type: command
        command: npm run test:contract
        timeout: 15m
      - name: smoke
        type: http
        url: https://staging.example.com/health?train={train}
        headersFromEnv:
          Authorization: SMOKE_TOKEN # the header's value is read from $SMOKE_TOKEN
    approval:
      mode: manual
      team: payments
      required: 2 # two distinct members of payments; nobody approves their own change
    rollout:
      waves: # in order; a wave starts when the previous one is verified
        - name: eu
          environments: [eu-west]
          bake: 30m # wait after deploying, then run the verify gates
          verify:
            - name: error-rate
              type: http
              url: https://eu.example.com/slo?train={train}
        - name: us
          environments: [us-east]
    rollback:
      policy: automatic # a failed deployment or verification rolls the train back
    notify: [releases]

  platform:
    schedule:
      rrule: FREQ=WEEKLY;INTERVAL=2;BYDAY=TU # every second Tuesday…
      start: 2026-01-13T10:00 # …at 10:00 Berlin time
      timezone: Europe/Berlin
      cutoff: { businessDays: 2, at: "17:00" } # boarding closes two business days before, 17:00
      exdates: [2026-04-07] # no train on this day (a date cancels every departure on it)
    holidays: [de-holidays] # not business days for the cut-off
    window: # production deployments start only Monday to Thursday, 10:00 to 16:00 local
      - days: [MO, TU, WE, TH]
        from: "10:00"
        to: "16:00"
    blackouts:
      - name: year-end
        reason: Year-end freeze
        from: 2026-12-20 # dates: both days included
        to: 2027-01-04
        exceptionRoles: [coordinator, admin] # who may let one train through, with a reason
    onBlackout: shift # a departure in a blackout moves to the next allowed instant (or: skip)
    overlap: queue # a train waits for the previous one's rollout to finish (or: allow)
    hotfix:
      roles: [coordinator, admin] # who may start a hotfix train
      gates: # the fast-track subset run by hotfix trains
        - name: smoke
          type: http
          url: https://staging.example.com/health?train={train}
    components: [platform-api]
    rollout:
      waves:
        - name: everywhere
          environments: [eu-west, us-east]

  storefront:
    schedule:
      cron: "30 14 * * 1-4" # cron works too: Monday to Thursday at 14:30
      start: 2026-01-05T14:30
      timezone: America/New_York
      cutoff: PT2H # ISO 8601 works too
    components: [web]
    approval:
      mode: auto # approved as soon as every gate passes
    rollout:
      waves:
        - name: everywhere
          environments: [us-east, eu-west]
    notify: [releases]

# Holiday calendars: dates in YAML, or an .ics file exported from a calendar.
calendars:
  de-holidays:
    dates: [2026-12-24, 2026-12-25, 2026-12-26, 2026-12-31, 2027-01-01]

# Global blackouts apply to every line (each in its own time zone unless one is given).
blackouts:
  - name: black-friday
    reason: Peak traffic
    from: 2026-11-27T00:00
    to: 2026-11-30T06:00
    environments: [us-east] # only deployments to these environments stop

# Where train events are announced. Secrets (URLs, tokens) come from environment variables.
notifications:
  releases:
    type: slack
    webhookUrlFromEnv: SLACK_RELEASES_WEBHOOK
    events: [train.transitioned, gate.evaluated, approval.recorded]
  incidents-hook:
    type: webhook # CloudEvents 1.0 JSON, signed when secretFromEnv is set
    urlFromEnv: PAGER_WEBHOOK_URL
    secretFromEnv: PAGER_WEBHOOK_SECRET
    purpose: page # default routing pages critical notifications here (warnings: purpose ticket)

# Which notifications go where besides each line's notify; reminders; delivery.
routing:
  publicUrl: https://railyard.example.com # messages link to <publicUrl>/trains/<id>
  reminders:
    cutoff: { before: [2h] } # to each team's notify channels (else the line's)
    approval: { after: 1h, every: 4h }
    blocked: { after: 30m, every: 4h }
  maxAttempts: 8
`;
