"""Networks, as `nn.Sequential` blocks built by factory functions with named arguments."""
from .cyclegan import patch_discriminator, resnet_generator
from .dcgan import dcgan_discriminator, dcgan_generator, dcgan_init
from .infogan import infogan_discriminator, infogan_generator, infogan_latent
from .mode import evaluating
from .toy import Pack, mlp, toy_discriminator, toy_generator
