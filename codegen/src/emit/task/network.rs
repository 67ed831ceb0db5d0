//! `impl atspec::task::Network for Modem`.

use proc_macro2::TokenStream;
use quote::quote;

use super::value::{Inputs, condition, picked, step_field};
use super::{step_list, steps};
use crate::emit::docs::doc;
use crate::ir::{FieldType, Package};
use crate::model::LinkKindSpec;
use crate::task_ir::{Condition, Expr, Input, NetworkTask, Procedure, Ref};

pub(super) fn implementation(package: &Package, task: &NetworkTask) -> TokenStream {
    let inputs = Inputs {
        package: &package.name,
        methods: &[],
    };
    let name = &package.name;
    let (kind, other) = match task.link {
        LinkKindSpec::Cellular => (quote!(Cellular), "Wi-Fi link"),
        LinkKindSpec::Wifi => (quote!(Wifi), "cellular link"),
    };
    let (connect_steps, connect_cleanup) = steps(&inputs, &task.connect);
    let (state_steps, state_cleanup) = steps(&inputs, &task.state);
    let (down_steps, down_cleanup) = steps(&inputs, &task.disconnect);
    let up = match task.state.results.iter().find(|(n, _)| n == "up") {
        Some((_, Expr::Condition(c))) => condition(&inputs, c),
        // A step's success as the flag (`$joined.succeeded`).
        Some((_, Expr::Ref(flag @ Ref::Succeeded(_)))) => condition(
            &inputs,
            &Condition {
                negate: false,
                subject: flag.clone(),
                equals: None,
            },
        ),
        _ => quote!(compile_error!("network `up` is a condition")),
    };
    let address = address(&inputs, &task.state);
    // A procedure that sends no credentials must not drop the caller's silently.
    let takes_credentials = task
        .connect
        .reads(&|r| matches!(r, Ref::Input(Input::User | Input::Password)));
    let credentials = if takes_credentials {
        quote!()
    } else {
        quote! {
            if link.user_name().is_some() || link.password_text().is_some() {
                return Err(run.unsupported("a user name and password for the link"));
            }
        }
    };
    let connect_docs = docs(&task.connect, "Brings the data link up.", &task.source);
    let state_docs = docs(&task.state, "Reports the data link.", &task.source);
    let down_docs = docs(&task.disconnect, "Takes the data link down.", &task.source);
    let allowances = super::allowances();
    quote! {
        #allowances
        impl ::atspec::task::Network for Modem {
            const LINKS: &'static [::atspec::task::LinkKind] = &[::atspec::task::LinkKind::#kind];

            #connect_docs
            async fn connect(
                &self,
                link: &::atspec::task::Link,
                timeout: Option<::std::time::Duration>,
            ) -> Result<::atspec::task::LinkState, ::atspec::task::TaskError> {
                let mut run = ::atspec::task::Run::new(&self.client, #name, "network.connect", timeout);
                if link.kind() != ::atspec::task::LinkKind::#kind {
                    return Err(run.unsupported(#other));
                }
                #credentials
                let outcome = async {
                    #connect_steps
                    Ok::<_, ::atspec::task::TaskError>(())
                }
                .await;
                #connect_cleanup
                let outcome = run.finish(outcome);
                outcome?;
                let state = ::atspec::task::Network::link_state(self).await?;
                if !state.up {
                    return Err(run.unexpected("the link is still down after bring-up"));
                }
                Ok(state)
            }

            #state_docs
            async fn link_state(&self) -> Result<::atspec::task::LinkState, ::atspec::task::TaskError> {
                let timeout: Option<::std::time::Duration> = None;
                let mut run = ::atspec::task::Run::new(&self.client, #name, "network.state", timeout);
                let outcome = async {
                    #state_steps
                    Ok::<_, ::atspec::task::TaskError>(::atspec::task::LinkState {
                        up: #up,
                        address: #address,
                    })
                }
                .await;
                #state_cleanup
                let outcome = run.finish(outcome);
                outcome
            }

            #down_docs
            async fn disconnect(&self) -> Result<(), ::atspec::task::TaskError> {
                let timeout: Option<::std::time::Duration> = None;
                let mut run = ::atspec::task::Run::new(&self.client, #name, "network.disconnect", timeout);
                let outcome = async {
                    #down_steps
                    Ok::<_, ::atspec::task::TaskError>(())
                }
                .await;
                #down_cleanup
                let outcome = run.finish(outcome);
                outcome
            }
        }
    }
}

fn address(inputs: &Inputs<'_>, state: &Procedure) -> TokenStream {
    match state.results.iter().find(|(n, _)| n == "address") {
        Some((_, Expr::Pick { field, when })) => picked(inputs, field, when),
        Some((_, Expr::Ref(Ref::Step(f))))
            if matches!(f.field.ty, FieldType::String | FieldType::Text) =>
        {
            let read = step_field(f);
            if f.field.usage.optional {
                quote!(#read.clone())
            } else {
                quote!(Some(#read.clone()))
            }
        }
        _ => quote!(None),
    }
}

fn docs(p: &Procedure, default: &str, source: &str) -> TokenStream {
    let summary = p.summary.clone().unwrap_or_else(|| default.to_owned());
    doc(&[summary, format!("The procedure ({source}):"), step_list(p)])
}
