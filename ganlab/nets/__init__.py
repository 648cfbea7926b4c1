"""Networks, as `nn.Sequential` blocks built by factory functions with named arguments."""
from .toy import mlp, toy_discriminator, toy_generator
