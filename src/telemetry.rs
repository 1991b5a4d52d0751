//! Logging and traces: structured JSON lines in production, a compact human format in dev;
//! `RUST_LOG` overrides the default filter. A build with `--features otlp` also exports
//! every span over OTLP (HTTP, protobuf) when an endpoint is configured, the standard
//! OpenTelemetry variables deciding where (README, "Traces").

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// The header a request's id travels in, set by the server when the client sends none; it
/// ties logs and audit events to the request.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Json,
    Pretty,
}

/// Where traces go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Export {
    /// Nowhere.
    Off,
    /// Where `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as it is) or
    /// `OTEL_EXPORTER_OTLP_ENDPOINT` (with `/v1/traces` added) says; the exporter also reads
    /// `OTEL_EXPORTER_OTLP_HEADERS` and `OTEL_EXPORTER_OTLP_TIMEOUT`.
    Environment,
    /// To this traces URL (`http://host:4318/v1/traces`).
    To(String),
}

impl Export {
    /// From the environment: on when an OTLP endpoint is set, unless `OTEL_SDK_DISABLED`
    /// or `OTEL_TRACES_EXPORTER=none` turns it off.
    pub fn from_environment() -> Export {
        let set = |name: &str| std::env::var(name).is_ok_and(|v| !v.trim().is_empty());
        let disabled = std::env::var("OTEL_SDK_DISABLED").is_ok_and(|v| v.eq_ignore_ascii_case("true"))
            || std::env::var("OTEL_TRACES_EXPORTER").is_ok_and(|v| v.eq_ignore_ascii_case("none"));
        if !disabled && (set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") || set("OTEL_EXPORTER_OTLP_ENDPOINT")) {
            Export::Environment
        } else {
            Export::Off
        }
    }
}

/// What start-up installed; [`Telemetry::shutdown`] sends the spans not yet exported.
#[must_use = "shut it down at exit, or the last spans are lost"]
pub struct Telemetry {
    #[cfg(feature = "otlp")]
    provider: Option<opentelemetry_sdk::trace::SdkTracerProvider>,
}

impl Telemetry {
    /// Export what is buffered and stop exporting; blocks until the exporter answers or
    /// its timeout passes.
    pub fn shutdown(self) {
        #[cfg(feature = "otlp")]
        if let Some(provider) = self.provider
            && let Err(err) = provider.shutdown()
        {
            tracing::warn!(error = %err, "the last traces could not be exported");
        }
    }
}

const DEFAULT_FILTER: &str = "info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn";

/// Install the global subscriber, exporting traces as the environment says; call once, at
/// start-up.
pub fn init(format: LogFormat) -> Telemetry {
    init_with(format, Export::from_environment())
}

/// Install the global subscriber, exporting traces to `export`.
pub fn init_with(format: LogFormat, export: Export) -> Telemetry {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let fmt = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let fmt = match format {
        // Each line carries its request's span once (`span`), not again in a list of spans.
        LogFormat::Json => fmt
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .boxed(),
        LogFormat::Pretty => fmt.compact().boxed(),
    };
    let registry = tracing_subscriber::registry().with(filter).with(fmt);
    #[cfg(feature = "otlp")]
    {
        let (layer, provider, failure) = match otlp::provider(&export) {
            Ok(provider) => (provider.as_ref().map(otlp::layer), provider, None),
            Err(err) => (None, None, Some(err)),
        };
        registry.with(layer).init();
        if let Some(err) = failure {
            tracing::error!(error = %err, "traces will not be exported: the OTLP exporter could not be built");
        }
        Telemetry { provider }
    }
    #[cfg(not(feature = "otlp"))]
    {
        registry.init();
        if export != Export::Off {
            tracing::warn!("an OTLP endpoint is set, but this build exports no traces: build with `--features otlp`");
        }
        Telemetry {}
    }
}

/// Make `span` a child of the trace the caller sent in its W3C `traceparent` header, so
/// the server's spans join the client's trace; nothing without that header, or without
/// the `otlp` feature.
pub fn continue_trace(span: &tracing::Span, headers: &axum::http::HeaderMap) {
    #[cfg(feature = "otlp")]
    otlp::continue_trace(span, headers);
    #[cfg(not(feature = "otlp"))]
    let _ = (span, headers);
}

#[cfg(feature = "otlp")]
mod otlp {
    use super::Export;
    use opentelemetry::propagation::{Extractor, TextMapPropagator};
    use opentelemetry::trace::TracerProvider;
    use opentelemetry_otlp::WithExportConfig;
    use opentelemetry_sdk::propagation::TraceContextPropagator;
    use opentelemetry_sdk::trace::SdkTracerProvider;
    use tracing_opentelemetry::OpenTelemetrySpanExt;

    /// The tracer provider `export` asks for, spans sent in batches from a thread of its own.
    pub fn provider(export: &Export) -> Result<Option<SdkTracerProvider>, opentelemetry_otlp::ExporterBuildError> {
        let builder = opentelemetry_otlp::SpanExporter::builder().with_http();
        let exporter = match export {
            Export::Off => return Ok(None),
            Export::Environment => builder.build()?,
            Export::To(url) => builder.with_endpoint(url).build()?,
        };
        let mut resource = opentelemetry_sdk::Resource::builder();
        if std::env::var_os("OTEL_SERVICE_NAME").is_none() {
            resource = resource.with_service_name(env!("CARGO_PKG_NAME"));
        }
        let resource = resource
            .with_attribute(opentelemetry::KeyValue::new(
                "service.version",
                env!("CARGO_PKG_VERSION"),
            ))
            .build();
        Ok(Some(
            SdkTracerProvider::builder()
                .with_batch_exporter(exporter)
                .with_resource(resource)
                .build(),
        ))
    }

    pub fn layer<S>(provider: &SdkTracerProvider) -> impl tracing_subscriber::Layer<S>
    where
        S: tracing::Subscriber + for<'span> tracing_subscriber::registry::LookupSpan<'span>,
    {
        tracing_opentelemetry::layer().with_tracer(provider.tracer(env!("CARGO_PKG_NAME")))
    }

    struct Headers<'a>(&'a axum::http::HeaderMap);

    impl Extractor for Headers<'_> {
        fn get(&self, key: &str) -> Option<&str> {
            self.0.get(key).and_then(|v| v.to_str().ok())
        }

        fn keys(&self) -> Vec<&str> {
            self.0.keys().map(|k| k.as_str()).collect()
        }
    }

    pub fn continue_trace(span: &tracing::Span, headers: &axum::http::HeaderMap) {
        if headers.contains_key("traceparent") {
            let parent = TraceContextPropagator::new().extract(&Headers(headers));
            // Fails only when no OpenTelemetry layer is installed: nothing to continue then.
            let _ = span.set_parent(parent);
        }
    }
}

/// For tests: logs only when `TEST_LOG` is set, so test output stays quiet by default.
pub fn init_for_tests() {
    if std::env::var_os("TEST_LOG").is_some() {
        let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("debug,sqlx=info"));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_test_writer()
            .try_init();
    }
}
