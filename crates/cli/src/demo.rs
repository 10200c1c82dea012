//! `smmkit sandbox` and `smmkit demo`: the embedded panel.

use std::collections::HashMap;
use std::time::Duration;

use std::sync::Arc;

use smmkit::{
    AddOptions, Decimal, DripFeed, Journal, Order, OrderForm, OrderRequest, OrderState,
    PerfectPanel, Service, SmmProvider,
};
use smmkit_sandbox::{Catalog, Clock, Dialect, Faults, Numbers, Sandbox, SandboxConfig, Shapes};

use crate::Failure;
use crate::args::{DemoArgs, DialectName, NumbersName, SandboxArgs};
use crate::commands::{follow, service_table};
use crate::output::print;

pub(crate) async fn sandbox(a: &SandboxArgs) -> Result<u8, Failure> {
    let balance: Decimal = a
        .balance
        .trim()
        .parse()
        .map_err(|_| Failure::usage(format!("--balance `{}` is not a decimal", a.balance)))?;
    if !(a.speed.is_finite() && a.speed > 0.0) {
        return Err(Failure::usage("--speed must be a positive number"));
    }
    let catalog = match &a.catalog {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
            Some(Catalog::from_json(&text).map_err(|e| Failure::usage(e.to_string()))?)
        }
        None => None,
    };
    let services = usize::try_from(a.services).unwrap_or(usize::MAX);
    let config = SandboxConfig {
        seed: a.seed,
        services,
        catalog,
        clock: Clock::sped_up(a.speed),
        dialect: Dialect {
            numbers: match a.numbers {
                NumbersName::Strings => Numbers::Strings,
                NumbersName::Bare => Numbers::Bare,
            },
            shapes: match a.dialect {
                DialectName::Common => Shapes::Common,
                DialectName::Fampage => Shapes::Fampage,
            },
            echo: a.echo,
        },
        faults: Faults {
            seed: a.seed,
            latency: Duration::from_millis(a.latency_ms),
            server_error: a.fault_5xx,
            html: a.fault_html,
            drop: a.fault_drop,
            stall: a.fault_stall,
            ..Faults::none()
        },
        key: a.account_key.clone(),
        balance,
        currency: a.currency.clone(),
        host: a.host,
        port: a.port,
    };
    let s = Sandbox::start(config)
        .await
        .map_err(|e| Failure::error(e.to_string()))?;
    print(&format!(
        "sandbox panel listening\n  url:      {}\n  key:      {}\n  services: {}\n  speed:    {}× real time\n\n\
         try:  SMMKIT_KEY={} smmkit --url {} services\nstop with Ctrl-C\n",
        s.url(),
        s.key(),
        s.catalog().services().len(),
        a.speed,
        s.key(),
        s.url()
    ));
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| Failure::error(format!("cannot wait for Ctrl-C: {e}")))?;
    print("\nsandbox stopped\n");
    Ok(0)
}

/// The cheapest service that `f` accepts.
fn pick<'a>(
    services: &'a [Service],
    what: &str,
    f: impl Fn(&Service) -> bool,
) -> Result<&'a Service, Failure> {
    services
        .iter()
        .filter(|s| f(s))
        .min_by(|a, b| a.rate.cmp(&b.rate).then(a.id.cmp(&b.id)))
        .ok_or_else(|| Failure::error(format!("demo: the sandbox's catalog has no {what} service")))
}

fn quantity_for(s: &Service, wanted: u64) -> u64 {
    wanted.clamp(s.min, s.max)
}

pub(crate) async fn demo(a: &DemoArgs) -> Result<u8, Failure> {
    if !(a.speed.is_finite() && a.speed > 0.0) {
        return Err(Failure::usage("--speed must be a positive number"));
    }
    if a.fleet {
        return demo_fleet().await;
    }
    let sandbox = Sandbox::start(SandboxConfig {
        seed: a.seed,
        clock: Clock::sped_up(a.speed),
        ..SandboxConfig::default()
    })
    .await
    .map_err(|e| Failure::error(e.to_string()))?;
    print(&format!(
        "smmkit demo — an embedded sandbox panel at {} (no key of yours, no network, no money)\n\
         orders live on its clock, {}× faster than real time\n\n",
        sandbox.url(),
        a.speed
    ));
    let panel = PerfectPanel::builder(sandbox.url(), sandbox.key())
        .name("sandbox")
        .build()?;
    let p: &dyn SmmProvider = &panel;
    // The order journal, in memory for the demo (a file or Postgres in use).
    let journal = Journal::open("sqlite::memory:").await?;
    let journaled = journal.attach(Arc::new(panel.clone()));

    // 1. The catalog.
    let services = p.services().await?;
    let types: std::collections::HashSet<&str> = services.iter().map(|s| s.kind.as_str()).collect();
    print(&format!(
        "1. services: {} services of {} types; the cheapest five:\n",
        services.len(),
        types.len()
    ));
    let mut cheapest: Vec<&Service> = services.iter().collect();
    cheapest.sort_by(|x, y| x.rate.cmp(&y.rate).then(x.id.cmp(&y.id)));
    cheapest.truncate(5);
    print(&indent(&service_table(&cheapest)));

    // 2. Orders of several types.
    let start_balance = p.balance().await?;
    print(&format!(
        "\n2. add: placing orders (balance {} {})\n",
        start_balance.amount,
        start_balance.currency.clone().unwrap_or_default()
    ));
    let refillable = pick(&services, "refillable Default", |s| {
        s.kind.order_form() == Some(OrderForm::Default) && s.refill && s.min <= 1000
    })?;
    let cancelable = pick(&services, "cancelable Default", |s| {
        s.kind.order_form() == Some(OrderForm::Default) && s.cancel && s.id != refillable.id
    })?;
    let dripfeed = pick(&services, "drip-feed", |s| s.dripfeed == Some(true))?;
    let comments = pick(&services, "Custom Comments", |s| {
        s.kind.order_form() == Some(OrderForm::CustomComments)
    })?;
    let poll = pick(&services, "Poll", |s| {
        s.kind.order_form() == Some(OrderForm::Poll)
    })?;
    let package = pick(&services, "Package", |s| {
        s.kind.order_form() == Some(OrderForm::Package)
    })?;
    let comment_lines: Vec<String> = [
        "Love this!",
        "Great shot 📸",
        "Where is this?",
        "So good",
        "Wow",
        "Amazing colours",
        "👏👏👏",
    ]
    .iter()
    .map(|c| (*c).to_owned())
    .cycle()
    .take(usize::try_from(comments.min.max(5).min(comments.max)).unwrap_or(5))
    .collect();
    let orders = [
        (
            refillable,
            OrderRequest::link_quantity(
                refillable.id,
                "https://instagram.com/p/demo-refill",
                quantity_for(refillable, 1000),
            ),
        ),
        (
            dripfeed,
            OrderRequest::new(
                dripfeed.id,
                Order::Default {
                    link: "https://t.me/demo_channel".into(),
                    quantity: quantity_for(dripfeed, 500),
                    dripfeed: Some(DripFeed {
                        runs: 3,
                        interval: 10,
                    }),
                },
            ),
        ),
        (
            comments,
            OrderRequest::new(
                comments.id,
                Order::CustomComments {
                    link: "https://instagram.com/p/demo-comments".into(),
                    comments: comment_lines,
                },
            ),
        ),
        (
            poll,
            OrderRequest::new(
                poll.id,
                Order::Poll {
                    link: "https://t.me/demo_channel/42".into(),
                    quantity: quantity_for(poll, 200),
                    answer_number: 1,
                },
            ),
        ),
        (
            package,
            OrderRequest::new(
                package.id,
                Order::Package {
                    link: "https://youtube.com/@demo".into(),
                },
            ),
        ),
        (
            cancelable,
            OrderRequest::link_quantity(
                cancelable.id,
                "https://tiktok.com/@demo/video/1",
                quantity_for(cancelable, 5000),
            ),
        ),
    ];
    let mut placed = Vec::new();
    let mut sizes = HashMap::new();
    for (n, (service, order)) in orders.iter().enumerate() {
        let cost = smmkit::quote(order, service)?;
        let key = format!("demo-{}", n + 1);
        let id = journaled
            .add_with(order, &AddOptions::key(&key))
            .await?
            .order;
        print(&format!(
            "   order {id}: {} · {} · cost {cost} · key {key}\n",
            service.kind, order
        ));
        sizes.insert(id, order.charged_units().unwrap_or(1));
        placed.push(id);
    }

    // 2b. A double tap: the first order again, under its key.
    let (_, first_order) = &orders[0];
    let again = journaled
        .add_with(first_order, &AddOptions::key("demo-1"))
        .await?;
    print(&format!(
        "\n   the first order again with key demo-1: {}, order {}; the panel still has {} orders\n",
        if again.replayed {
            "nothing was sent"
        } else {
            "sent again (a bug)"
        },
        again.order,
        sandbox.orders().len()
    ));

    // 2c. A first sync: what the panel says of each order now.
    print("\n   sync: the journal polls every open order\n");
    for change in journal.sync().await?.changes {
        print(&format!("   {change}\n"));
    }

    // 3. Cancel the last one while it is young.
    let to_cancel = *placed
        .last()
        .ok_or_else(|| Failure::error("demo: nothing was placed"))?;
    print(&format!(
        "\n3. cancel: asking to cancel order {to_cancel}\n"
    ));
    for (id, r) in p.cancel(&[to_cancel]).await {
        match r {
            Ok(_) => print(&format!("   order {id}: cancel requested\n")),
            Err(e) => print(&format!("   order {id}: {e}\n")),
        }
    }

    // 4. Watch every order to the end.
    print("\n4. watch: following the orders until each is final\n");
    let finals = follow(
        p,
        &placed,
        &sizes,
        Duration::from_millis(250),
        Some(Duration::from_secs(120)),
    )
    .await?;
    for (id, r) in &finals {
        match r {
            Ok(s) => print(&format!(
                "   order {id}: {} — charged {} {}, {} left\n",
                s.status,
                s.charge
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "?".into()),
                s.currency.clone().unwrap_or_default(),
                s.remains.unwrap_or(0)
            )),
            Err(e) => print(&format!("   order {id}: {e}\n")),
        }
    }

    // 4b. The journal's sync sees what changed since it last polled.
    print("\n   sync: what changed since the journal last polled\n");
    let report = journal.sync().await?;
    for change in &report.changes {
        print(&format!("   {change}\n"));
    }
    for spend in journal.spend().await? {
        print(&format!(
            "   spent at {}: {} {} over {} orders\n",
            spend.provider,
            spend.charged,
            spend.currency.unwrap_or_default(),
            spend.orders
        ));
    }

    // 5. Refill the first order, and follow the refill.
    let first = placed[0];
    let delivered = finals
        .iter()
        .find(|(id, _)| *id == first)
        .and_then(|(_, r)| r.as_ref().ok())
        .is_some_and(|s| matches!(s.status, OrderState::Completed | OrderState::Partial));
    print(&format!("\n5. refill: asking to refill order {first}\n"));
    if delivered {
        let refill = p.refill(first).await?;
        print(&format!("   refill {refill} requested\n"));
        let mut last = String::new();
        for _ in 0..480 {
            let state = p.refill_status(refill).await?;
            if state.to_string() != last {
                last = state.to_string();
                print(&format!("   refill {refill}: {last}\n"));
            }
            if state.is_final() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    } else {
        print(&format!(
            "   order {first} was not delivered, so it cannot be refilled\n"
        ));
    }

    // 6. The balance.
    let end = p.balance().await?;
    print(&format!(
        "\n6. balance: {} {} (spent {})\n\ndone: {} orders placed and journaled (one asked for twice, placed once), watched, synced, one canceled, one refilled.\n",
        end.amount,
        end.currency.clone().unwrap_or_default(),
        start_balance.amount - end.amount,
        placed.len()
    ));
    Ok(0)
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("   {l}\n")).collect()
}

/// A sandbox selling one offering (and a second service) at `rate`.
async fn shop(service: u64, name: &str, rate: &str, balance: &str) -> Result<Sandbox, Failure> {
    let catalog = Catalog::from_json(&format!(
        r#"[{{"service":{service},"name":"{name}","type":"Default","category":"Instagram","rate":"{rate}","min":10,"max":100000,"refill":true}},
            {{"service":{},"name":"Telegram Post Views","type":"Default","category":"Telegram","rate":"0.0{service}","min":100,"max":1000000}}]"#,
        service + 1
    ))
    .map_err(|e| Failure::error(e.to_string()))?;
    Sandbox::start(SandboxConfig {
        catalog: Some(catalog),
        balance: balance
            .parse()
            .map_err(|_| Failure::error("demo: a bad balance"))?,
        ..SandboxConfig::default()
    })
    .await
    .map_err(|e| Failure::error(e.to_string()))
}

/// `smmkit demo --fleet`: three embedded panels, compared, routed and
/// priced.
async fn demo_fleet() -> Result<u8, Failure> {
    use smmkit::fleet::{Fleet, Leg, Pricing, Route, RoutedOrder, Search, Strategy};
    let main = shop(1203, "Instagram Likes [Real] 🔥", "0.50", "1000").await?;
    let budget = shop(77, "Likes - Instagram HQ", "0.40", "0.30").await?;
    let backup = shop(405, "Instagram Likes", "0.60", "1000").await?;
    print(
        "smmkit demo --fleet — three embedded sandbox panels (no key of yours, no network, no money)\n\n",
    );
    let mut fleet = Fleet::new(Some(Journal::open("sqlite::memory:").await?));
    for (name, s) in [("main", &main), ("budget", &budget), ("backup", &backup)] {
        let panel = PerfectPanel::builder(s.url(), s.key())
            .retry(smmkit::RetryPolicy::none())
            .build()?;
        fleet.add_panel(name, Arc::new(panel))?;
        let b = s.balance(s.key()).unwrap_or_default();
        print(&format!(
            "   {name:<7} {}  balance {b} USD
",
            s.url()
        ));
    }

    // 1. Compare.
    let search = Search {
        text: Some("instagram likes".into()),
        ..Search::default()
    };
    let found = fleet.compare(&search, None).await?;
    print("\n1. compare \"instagram likes\": the same offering on three panels\n");
    for p in &found.panels {
        for s in &p.services {
            print(&format!(
                "   {:<7} service {:<5} {:>5} per 1000  {}\n",
                p.panel, s.id, s.rate, s.name
            ));
        }
    }
    for s in &found.suggestions {
        let legs: Vec<String> = s
            .members
            .iter()
            .map(|m| format!("\"{}:{}\"", m.panel, m.service))
            .collect();
        print(&format!(
            "   suggested match (similarity {:.2}): services = [{}]\n",
            s.similarity,
            legs.join(", ")
        ));
    }

    // 2. A route, cheapest first.
    let legs = ["main:1203", "budget:77", "backup:405"]
        .iter()
        .map(|l| Leg::parse(l))
        .collect::<smmkit::Result<Vec<_>>>()?;
    fleet.add_route(Route::new("ig-likes", Strategy::Cheapest, legs)?)?;
    print("\n2. route ig-likes (cheapest first): main:1203, budget:77, backup:405\n");
    let order =
        |link: &str| RoutedOrder::from_value(&serde_json::json!({"link": link, "quantity": 500}));
    for (n, link) in [
        "https://instagram.com/p/demo-1",
        "https://instagram.com/p/demo-2",
    ]
    .iter()
    .enumerate()
    {
        let routed = fleet
            .add(
                "ig-likes",
                &order(link)?,
                &AddOptions::key(format!("shop-order-{}", n + 1)),
            )
            .await?;
        let cost = routed.quote.map_or_else(|| "-".into(), |q| q.to_string());
        print(&format!(
            "   order {} placed at {} (cost {cost})\n",
            routed.order, routed.panel
        ));
        for at in &routed.attempts {
            if let Some(reason) = at.reason() {
                print(&format!("     not at {reason}\n"));
            }
        }
    }
    let again = fleet
        .add(
            "ig-likes",
            &order("https://instagram.com/p/demo-1")?,
            &AddOptions::key("shop-order-1"),
        )
        .await?;
    print(&format!(
        "   shop-order-1 again: {}, order {} at {}\n",
        if again.replayed {
            "nothing was sent"
        } else {
            "sent again (a bug)"
        },
        again.order,
        again.panel
    ));

    // 3. An unknown outcome is never failed over.
    main.set_faults(Faults {
        server_error: 1.0,
        after_action: 1.0,
        ..Faults::none()
    });
    print("\n3. main answers 502 after taking the order: the route stops there\n");
    match fleet
        .add(
            "ig-likes",
            &order("https://instagram.com/p/demo-3")?,
            &AddOptions::key("shop-order-3"),
        )
        .await
    {
        Err(e) if e.kind() == "outcome_unknown" => {
            let elsewhere = [&budget, &backup]
                .iter()
                .flat_map(|s| s.orders())
                .filter(|o| o.link.ends_with("demo-3"))
                .count();
            print(&format!(
                "   outcome unknown at main; orders for it on the other panels: {elsewhere}\n   \
                 (main has it: {}) — check main, then: smmkit resolve shop-order-3@main --placed ID\n",
                main.orders().iter().any(|o| o.link.ends_with("demo-3"))
            ));
        }
        Err(e) => print(&format!("   {e}\n")),
        Ok(r) => print(&format!("   placed at {} (order {})\n", r.panel, r.order)),
    }
    main.set_faults(Faults::none());

    // 4. Prices.
    let pricing = Pricing::from_value(
        &serde_json::json!({"markup": "30%", "min_margin": "0.05", "round": 2}),
    )?;
    let list = fleet.price_list(None, &pricing).await?;
    print("\n4. prices: 30% markup, at least 0.05 margin, rounded up to 2 decimals\n");
    for r in &list.rows {
        print(&format!(
            "   {}: cost {} at {} → sale {} per 1000 (margin {})\n",
            r.name, r.cost, r.panel, r.sale, r.margin
        ));
    }
    print(
        "\ndone: compared, routed to the cheapest panel with funds, failed over only when nothing was placed, priced.\n",
    );
    Ok(0)
}
