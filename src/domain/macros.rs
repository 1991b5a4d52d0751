//! `string_enum!`: an enum stored as a stable code, with `ALL`, `as_str` and `parse`; with
//! the `storage` feature, also the column mapping of `stored_code!`.

macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),*
        }

        // Every code enum gets the same vocabulary, used or not.
        #[allow(dead_code)]
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The stable code stored in the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code),*
                }
            }

            pub fn parse(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == code)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $crate::macros::stored_code!($name);
    };
}

/// A code enum (with `as_str` and `parse`) as a column of its own type: stored as its code,
/// read back through `parse`, and an unknown stored code is a read error that names the
/// code, the column and the row (`storage::unknown_code`), never a value dropped or
/// defaulted. In the audit trail's JSON it is its code.
#[cfg(feature = "storage")]
macro_rules! stored_code {
    ($name:ident) => {
        impl From<$name> for sea_orm::Value {
            fn from(code: $name) -> Self {
                sea_orm::Value::String(Some(code.as_str().to_owned()))
            }
        }

        impl sea_orm::sea_query::ValueType for $name {
            fn try_from(value: sea_orm::Value) -> Result<Self, sea_orm::sea_query::ValueTypeErr> {
                let code = <String as sea_orm::sea_query::ValueType>::try_from(value)?;
                Self::parse(&code).ok_or(sea_orm::sea_query::ValueTypeErr)
            }

            fn type_name() -> String {
                stringify!($name).to_owned()
            }

            fn array_type() -> sea_orm::sea_query::ArrayType {
                sea_orm::sea_query::ArrayType::String
            }

            fn column_type() -> sea_orm::sea_query::ColumnType {
                sea_orm::sea_query::ColumnType::String(sea_orm::sea_query::StringLen::None)
            }
        }

        impl sea_orm::sea_query::Nullable for $name {
            fn null() -> sea_orm::Value {
                sea_orm::Value::String(None)
            }
        }

        impl $crate::storage::StoredCode for $name {
            const NAME: &'static str = stringify!($name);

            fn from_code(code: &str) -> Option<Self> {
                Self::parse(code)
            }

            const UNREAD: Self = $name::ALL[0];
        }

        impl sea_orm::TryGetable for $name {
            fn try_get_by<I: sea_orm::ColIdx>(
                res: &sea_orm::QueryResult,
                index: I,
            ) -> Result<Self, sea_orm::TryGetError> {
                let code = <String as sea_orm::TryGetable>::try_get_by(res, index)?;
                Self::parse(&code)
                    .ok_or_else(|| $crate::storage::unknown_code(res, index.as_str(), stringify!($name), &code))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

#[cfg(not(feature = "storage"))]
macro_rules! stored_code {
    ($name:ident) => {};
}

pub(crate) use {stored_code, string_enum};
