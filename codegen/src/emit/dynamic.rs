//! The run-time view of a package (`atspec::dynamic`): each command as an
//! `AnyCommand`, each URC decoded, the command list, and for packages with tasks
//! the `PACKAGE` value and `Modem` as an `AnyModem`; plus the `atspec-packages`
//! crate that lists every modem package.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::crate_files::command_variants;
use crate::ir::Package;
use crate::names;

/// `Command::into_any` and `COMMANDS`, for a package with commands.
pub fn command_items(package: &Package) -> TokenStream {
    let shapes = command_variants(package);
    if shapes.is_empty() {
        return quote!();
    }
    let arms = shapes.iter().map(|(_, _, variant)| {
        let variant = format_ident!("{}", variant);
        quote!(Self::#variant(command) => Box::new(::atspec::dynamic::Typed::<_, U>::new(command)),)
    });
    let infos = shapes.iter().map(|(module, c, _)| {
        let ty = format_ident!("{}", c.ident);
        let module = format_ident!("{}", module);
        // V.250's bare `AT` is named `AT`, as its `AtCommand::NAME` is.
        let name = if c.name.is_empty() {
            "AT"
        } else {
            c.name.as_str()
        };
        let (syntax, summary, source) = (&c.syntax, &c.summary, &c.source);
        let secret = c.params.iter().any(|p| p.spec.secret);
        quote! {
            ::atspec::dynamic::CommandInfo {
                name: #name,
                form: <#module::#ty as ::atspec::AtCommand>::FORM,
                syntax: #syntax,
                summary: #summary,
                source: #source,
                secret: #secret,
            },
        }
    });
    quote! {
        impl Command {
            /// The command as an [`AnyCommand`](::atspec::dynamic::AnyCommand) that runs
            /// on a modem whose client has the URC set `U`.
            pub fn into_any<U>(self) -> Box<dyn ::atspec::dynamic::AnyCommand>
            where
                U: ::atspec::UrcSet + Clone + Send + 'static,
            {
                match self {
                    #(#arms)*
                }
            }
        }

        /// Every command shape of this package, for listings and completion.
        pub const COMMANDS: &[::atspec::dynamic::CommandInfo] = &[#(#infos)*];
    }
}

/// `Decode` for the `Urc` enum, each variant through its URC's fields.
pub fn urc_decode(variants: &[TokenStream]) -> TokenStream {
    let body = if variants.is_empty() {
        quote!(match *self {})
    } else {
        quote!(match self { #(#variants)* })
    };
    quote! {
        impl ::atspec::dynamic::Decode for Urc {
            fn decoded(&self) -> ::atspec::DecodedLine {
                #body
            }
        }
    }
}

/// A `Urc` variant's arm of [`urc_decode`].
pub fn urc_decode_arm(variant: &proc_macro2::Ident) -> TokenStream {
    quote!(Self::#variant(urc) => ::atspec::dynamic::Decode::decoded(urc),)
}

/// `PACKAGE` and its `Package` type, for a package with tasks.
pub fn package_items(package: &Package, all: &[Package]) -> TokenStream {
    if package.tasks.is_empty() {
        return quote!();
    }
    let (id, title, vendor) = (&package.name, &package.title, &package.vendor);
    let models = &package.models;
    let families = package.families.iter().map(|f| {
        let (fid, ftitle, fmodules) = (&f.name, &f.title, &f.modules);
        quote!(::atspec::dynamic::FamilyInfo { id: #fid, title: #ftitle, modules: &[#(#fmodules),*] },)
    });
    let with_commands = |p: &Package| p.modules.iter().any(|m| !m.commands.is_empty());
    let own = with_commands(package)
        .then(|| quote!(|line| Command::parse(line).map(Command::into_any::<Urc>),));
    let own_list = with_commands(package).then(|| quote!(all.extend_from_slice(COMMANDS);));
    let deps: Vec<syn::Ident> = package
        .depends
        .iter()
        .filter(|d| all.iter().any(|p| &p.name == *d && with_commands(p)))
        .map(|d| format_ident!("{}", names::crate_ident(d)))
        .collect();
    let dep_tries = deps.iter().map(|krate| {
        quote!(|line| ::#krate::Command::parse(line).map(::#krate::Command::into_any::<Urc>),)
    });
    let dep_lists = deps
        .iter()
        .map(|krate| quote!(all.extend_from_slice(::#krate::COMMANDS);));
    let doc = format!(
        "{title} as a value, for code that picks the modem at run time (see \
         [`atspec::dynamic`])."
    );
    quote! {
        #[doc = #doc]
        pub static PACKAGE: Package = Package;

        /// The type of [`PACKAGE`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct Package;

        impl ::atspec::dynamic::Package for Package {
            fn id(&self) -> &'static str {
                #id
            }
            fn title(&self) -> &'static str {
                #title
            }
            fn vendor(&self) -> &'static str {
                #vendor
            }
            fn modules(&self) -> &'static [&'static str] {
                &[#(#models),*]
            }
            fn families(&self) -> &'static [::atspec::dynamic::FamilyInfo] {
                &[#(#families)*]
            }
            fn dialect(&self) -> &'static ::atspec::Dialect {
                &DIALECT
            }
            fn commands(&self) -> Vec<::atspec::dynamic::CommandInfo> {
                let mut all = Vec::new();
                #own_list
                #(#dep_lists)*
                all
            }
            fn parse_command(
                &self,
                line: &[u8],
            ) -> Result<Box<dyn ::atspec::dynamic::AnyCommand>, ::atspec::ParseError> {
                ::atspec::dynamic::parse_with(line, &[#own #(#dep_tries)*], &self.commands())
            }
            fn decode_urc(
                &self,
                line: &[u8],
            ) -> Option<Result<::atspec::DecodedLine, ::atspec::ParseError>> {
                Urc::parse(line).map(|r| r.map(|urc| ::atspec::dynamic::Decode::decoded(&urc)))
            }
            fn open(
                &self,
                transport: ::atspec::dynamic::BoxTransport,
                config: ::atspec::Config,
            ) -> Box<dyn ::atspec::dynamic::AnyModem> {
                Box::new(Modem::with_config(transport, config))
            }
        }
    }
}

/// `Modem` as an `AnyModem`, with the tasks its spec declares.
pub fn any_modem(package: &Package) -> TokenStream {
    let task = |present: bool, what: TokenStream, ty: TokenStream| {
        if present {
            quote!(fn #what(&self) -> Option<&dyn ::atspec::dynamic::#ty> { Some(self) })
        } else {
            quote!(fn #what(&self) -> Option<&dyn ::atspec::dynamic::#ty> { None })
        }
    };
    let network = task(
        package.tasks.network.is_some(),
        quote!(network),
        quote!(DynNetwork),
    );
    let http = task(package.tasks.http.is_some(), quote!(http), quote!(DynHttp));
    let ftp = task(package.tasks.ftp.is_some(), quote!(ftp), quote!(DynFtp));
    quote! {
        impl ::atspec::dynamic::AnyModem for Modem {
            fn name(&self) -> &'static str {
                <Self as ::atspec::task::Driver>::NAME
            }
            fn client_any(&self) -> &dyn ::core::any::Any {
                &self.client
            }
            fn send_raw<'a>(
                &'a self,
                command: &'a ::atspec::RawCommand,
            ) -> ::atspec::dynamic::BoxFuture<'a, Result<::atspec::RawResponse, ::atspec::AtError>> {
                Box::pin(self.client.send_raw(command))
            }
            #network
            #http
            #ftp
        }
    }
}

/// The packages `atspec-packages` lists: those with tasks, fixtures left out.
fn listed(all: &[Package]) -> Vec<&Package> {
    let mut listed: Vec<&Package> = all
        .iter()
        .filter(|p| !p.tasks.is_empty() && !crate::capabilities::is_fixture(p))
        .collect();
    listed.sort_by(|a, b| a.name.cmp(&b.name));
    listed
}

/// `crates/atspec-packages/Cargo.toml`.
pub fn registry_cargo_toml(all: &[Package]) -> String {
    let mut deps = String::from("atspec.workspace = true\n");
    for p in listed(all) {
        let name = names::crate_name(&p.name);
        deps.push_str(&format!("{name} = {{ path = \"../{name}\" }}\n"));
    }
    format!(
        "# Generated by `cargo xtask codegen` from specs/; do not edit.\n\n[package]\nname = \"atspec-packages\"\nversion = \"0.1.0\"\ndescription = \"Every modem package generated from specs/, for tools that pick the modem at run time\"\nedition.workspace = true\nrust-version.workspace = true\nlicense.workspace = true\npublish.workspace = true\n\n[dependencies]\n{deps}\n[lints]\nworkspace = true\n"
    )
}

/// `crates/atspec-packages/src/lib.rs`.
pub fn registry_lib_rs(all: &[Package]) -> TokenStream {
    let listed = listed(all);
    let entries = listed.iter().map(|p| {
        let krate = format_ident!("{}", names::crate_ident(&p.name));
        quote!(&::#krate::PACKAGE,)
    });
    let list: Vec<String> = listed
        .iter()
        .map(|p| format!("- `{}`: {} ({})", p.name, p.title, p.vendor))
        .collect();
    let docs = format!(
        "Every modem package generated from `specs/` that declares tasks, as \
         [`atspec::dynamic::Package`] values, for tools that let their user pick \
         the modem at run time.\n\n{}",
        list.join("\n")
    );
    quote! {
        #![doc = #docs]
        #![forbid(unsafe_code)]

        pub use ::atspec;

        /// Every package, by name.
        pub static PACKAGES: &[&dyn ::atspec::dynamic::Package] = &[#(#entries)*];

        /// The package named `name`: its spec name (`snake_case`), in any case, with
        /// `-` for `_` accepted.
        pub fn find(name: &str) -> Option<&'static dyn ::atspec::dynamic::Package> {
            let wanted = name.replace('-', "_");
            PACKAGES
                .iter()
                .copied()
                .find(|p| p.id().eq_ignore_ascii_case(&wanted))
        }

        /// The names of every package, for messages.
        pub fn names() -> Vec<&'static str> {
            PACKAGES.iter().map(|p| p.id()).collect()
        }
    }
}
